using AviOrleans.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// Server reflection from Grpc.Net.Client, both versions that Grpc.AspNetCore.Server.Reflection 2.85 serves
/// (grpcurl asks v1 first and falls back to v1alpha): services listed, files with their dependencies.
/// </summary>
public sealed class ReflectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task V1_ListServicesAndFileContainingSymbol_AviV1WithDependencies()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        using var call = new V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "*" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "avi.v1.HaService.WatchPlacements" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name).ToList();
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var missing = call.ResponseStream.Current.ErrorResponse;
        await call.RequestStream.CompleteAsync();

        Assert.Superset(new HashSet<string>(AviApi.ServiceNames.Append("grpc.health.v1.Health")), new HashSet<string>(listed));
        Assert.Contains("avi/v1/ha.proto", files);
        Assert.Contains("avi/v1/common.proto", files);
        Assert.Equal((int)StatusCode.NotFound, missing.ErrorCode);
    }

    [Fact]
    public async Task V1Alpha_ListServices_AviV1()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        using var call = new V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "*" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var listed = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileByFilename = "avi/v1/virtual_service.proto" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var file = FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        await call.RequestStream.CompleteAsync();

        Assert.Superset(new HashSet<string>(AviApi.ServiceNames), new HashSet<string>(listed));
        Assert.Equal("avi/v1/virtual_service.proto", file.Name);
        Assert.Contains(file.Service, s => s.Name == "VirtualServiceService");
    }
}
