using System.Threading.Channels;
using AviOrleans.Grpc.Health.V1;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// <c>grpc.health.v1.Health</c> (grpc/grpc doc/health-checking.md) over a <see cref="GrpcHealthStatusProvider"/>.
/// </summary>
internal sealed class HealthService(GrpcHealthStatusProvider provider)
{
    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.Create(HealthReflection.Descriptor.Services[0])
            .AddUnary<HealthCheckRequest, HealthCheckResponse>("Check", CheckAsync, GrpcRole.Anonymous)
            .AddServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", WatchAsync, GrpcRole.Anonymous);

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        if (!provider.TryGetStatus(request.Service, out var status))
        {
            // The spec: an unknown service is the RPC status NOT_FOUND.
            throw new RpcException(StatusCode.NotFound, $"Service '{request.Service}' is unknown.");
        }

        return Task.FromResult(new HealthCheckResponse { Status = ToProto(status) });
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> writer, ServerCallContext context)
    {
        // A one-slot signal: a burst of changes collapses into one re-read of the current status.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var subscription = provider.Subscribe(() => changed.Writer.TryWrite(true));
        HealthCheckResponse.Types.ServingStatus? last = null;
        while (true)
        {
            var current = provider.TryGetStatus(request.Service, out var status)
                ? ToProto(status)
                : HealthCheckResponse.Types.ServingStatus.ServiceUnknown;
            if (current != last)
            {
                await writer.WriteAsync(new HealthCheckResponse { Status = current }, context.CancellationToken);
                last = current;
            }

            await changed.Reader.ReadAsync(context.CancellationToken);
        }
    }

    private static HealthCheckResponse.Types.ServingStatus ToProto(HealthServingStatus status) => status switch
    {
        HealthServingStatus.Serving => HealthCheckResponse.Types.ServingStatus.Serving,
        HealthServingStatus.NotServing => HealthCheckResponse.Types.ServingStatus.NotServing,
        _ => HealthCheckResponse.Types.ServingStatus.Unknown,
    };
}
