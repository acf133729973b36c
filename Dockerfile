# The AviOrleans image: aviorleans-silo (silo and gateway) and avictl.
# Build: docker build -t aviorleans:dev .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# The silo for the image's runtime, so that it ships ReadyToRun (precompiled; see its project file).
ARG RID=linux-x64
RUN dotnet publish src/AviOrleans.Silo -c Release -r $RID --self-contained -o /out/silo \
 && dotnet publish src/AviOrleans.Cli -c Release -o /out/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# iproute2 is for people debugging a host (`ip addr`); the silo itself talks netlink directly.
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/silo /opt/aviorleans/silo
COPY --from=build /out/cli /opt/aviorleans/cli
RUN ln -s /opt/aviorleans/silo/aviorleans-silo /usr/local/bin/aviorleans-silo \
 && ln -s /opt/aviorleans/cli/avictl /usr/local/bin/avictl
COPY examples /opt/aviorleans/examples
RUN mkdir -p /var/lib/aviorleans && chown 65532:65532 /var/lib/aviorleans
USER 65532:65532
ENTRYPOINT ["aviorleans-silo"]
# Loopback only by default: listening beyond it needs --token-file (see k8s/gateway.yaml).
CMD ["serve", "--data-dir", "/var/lib/aviorleans"]
