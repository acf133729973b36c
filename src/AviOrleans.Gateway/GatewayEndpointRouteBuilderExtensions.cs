using AviOrleans.Gateway.Internal;
using AviOrleans.Grpc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AviOrleans.Gateway;

/// <summary>Maps the avi.v1 gateway.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>Maps every avi.v1 service, grpc.health.v1 and server reflection (v1 and v1alpha).</summary>
    public static IEndpointRouteBuilder MapAviGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var sp = endpoints.ServiceProvider;
        endpoints.MapGrpcService(sp.GetRequiredService<ServiceEngineGroupHandlers>().CreateDefinition());
        endpoints.MapGrpcService(sp.GetRequiredService<ServiceEngineHandlers>().CreateDefinition());
        endpoints.MapGrpcService(sp.GetRequiredService<VsVipHandlers>().CreateDefinition());
        endpoints.MapGrpcService(sp.GetRequiredService<VirtualServiceHandlers>().CreateDefinition());
        endpoints.MapGrpcService(sp.GetRequiredService<HaHandlers>().CreateDefinition());
        endpoints.MapGrpcHealthService();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }
}
