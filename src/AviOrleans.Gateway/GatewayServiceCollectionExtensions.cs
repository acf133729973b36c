using AviOrleans.Gateway.Internal;
using AviOrleans.Grains;
using AviOrleans.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AviOrleans.Gateway;

/// <summary>Registers the avi.v1 gateway.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC transport with the gateway's exception mapping, and the avi.v1 handlers over
    /// the <see cref="IHaControlPlane"/> registered in the container (an
    /// <see cref="InMemoryHaControlPlane"/> when none is). Then map with <c>MapAviGateway()</c>.
    /// </summary>
    public static IServiceCollection AddAviGateway(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpcTransport(options =>
        {
            options.ExceptionMappers.Add(GatewayExceptionMapper.Map);
            configure?.Invoke(options);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHaControlPlane>(sp => new InMemoryHaControlPlane(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(_ => new Pager(new PageTokenCodec()));
        services.TryAddSingleton<ServiceEngineGroupHandlers>();
        services.TryAddSingleton<ServiceEngineHandlers>();
        services.TryAddSingleton<VsVipHandlers>();
        services.TryAddSingleton<VirtualServiceHandlers>();
        services.TryAddSingleton<HaHandlers>();
        return services;
    }
}
