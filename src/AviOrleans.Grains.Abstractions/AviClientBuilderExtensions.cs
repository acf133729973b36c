using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Serialization;

namespace AviOrleans.Grains;

/// <summary>Registers the HA control plane on an Orleans client (a gateway-only process).</summary>
public static class AviClientBuilderExtensions
{
    /// <summary>The domain's serialization and the grain-backed <see cref="IHaControlPlane"/>.</summary>
    public static IClientBuilder AddAviHaControlPlane(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerializer(s => s.AddAviSerialization());
        builder.Services.AddAviHaControlPlane();
        return builder;
    }

    /// <summary>The grain-backed <see cref="IHaControlPlane"/> over the registered <see cref="IGrainFactory"/>.</summary>
    public static IServiceCollection AddAviHaControlPlane(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHaControlPlane>(sp => new GrainHaControlPlane(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
