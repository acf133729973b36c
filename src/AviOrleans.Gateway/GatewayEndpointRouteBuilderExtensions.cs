using AviOrleans.Gateway.Internal;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace AviOrleans.Gateway;

/// <summary>Maps the avi.v1 gateway.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every avi.v1 service, grpc.health.v1 and server reflection (v1 and v1alpha); services added with
    /// <c>AddAviGateway()</c>. Health and reflection are open without a token; avi.v1 methods carry their policies.
    /// </summary>
    public static IEndpointRouteBuilder MapAviGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<ServiceEngineGroupApi>();
        endpoints.MapGrpcService<ServiceEngineApi>();
        endpoints.MapGrpcService<VsVipApi>();
        endpoints.MapGrpcService<VirtualServiceApi>();
        endpoints.MapGrpcService<HaApi>();
        endpoints.MapGrpcService<HealthServiceImpl>();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }
}
