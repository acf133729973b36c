using AviOrleans.Grpc.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AviOrleans.Grpc;

/// <summary>Maps gRPC services onto ASP.NET Core endpoints.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <paramref name="service"/> at <c>POST /ServiceName/Method</c>, plus
    /// (once) a catch-all that answers UNIMPLEMENTED for unknown services and methods.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, GrpcServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcTransport() before mapping gRPC services.");
        var processor = endpoints.ServiceProvider.GetRequiredService<GrpcCallProcessor>();
        registry.Add(service);
        endpoints.ServiceProvider.GetRequiredService<GrpcHealthStatusProvider>().AddMappedService(service.Name);

        var builders = new List<IEndpointConventionBuilder>();
        foreach (var method in service.Methods)
        {
            builders.Add(endpoints.MapPost(method.Path, http => processor.ProcessAsync(http, method))
                .WithDisplayName("gRPC " + method.Path));
        }

        if (registry.TryClaimFallback())
        {
            endpoints.MapPost("{unimplementedService}/{unimplementedMethod}", processor.ProcessUnimplementedAsync)
                .WithDisplayName("gRPC unimplemented");
        }

        return new CompositeEndpointConventionBuilder(builders);
    }

    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> (Check and Watch) over the <see cref="GrpcHealthStatusProvider"/>
    /// singleton, which the host drives.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var provider = endpoints.ServiceProvider.GetService<GrpcHealthStatusProvider>()
            ?? throw new InvalidOperationException("Call services.AddGrpcTransport() before mapping gRPC services.");
        return endpoints.MapGrpcService(new HealthService(provider).CreateDefinition());
    }

    /// <summary>
    /// Maps server reflection, <c>grpc.reflection.v1</c> and <c>v1alpha</c>, describing every service
    /// mapped with a descriptor (and their dependencies), so grpcurl and Postman need no .proto files.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcTransport() before mapping gRPC services.");
        var reflection = new ReflectionService(registry);
        var v1 = endpoints.MapGrpcService(reflection.CreateV1Definition());
        var v1Alpha = endpoints.MapGrpcService(reflection.CreateV1AlphaDefinition());
        return new CompositeEndpointConventionBuilder([v1, v1Alpha]);
    }
}
