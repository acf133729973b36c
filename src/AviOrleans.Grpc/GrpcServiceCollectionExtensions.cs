using AviOrleans.Grpc.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grpc;

/// <summary>Registers the gRPC server transport.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the transport (options, validation at start, health status, routing). Then map
    /// services with <c>endpoints.MapGrpcService(...)</c>.
    /// </summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrpcServerOptions>, GrpcServerOptionsValidator>());
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<GrpcCallProcessor>();
        services.TryAddSingleton<GrpcHealthStatusProvider>();
        return services;
    }
}
