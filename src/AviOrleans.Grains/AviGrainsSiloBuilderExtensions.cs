using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.Internal;
using AviOrleans.Grains.Monitoring;
using AviOrleans.Grains.Monitoring.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;

namespace AviOrleans.Grains;

/// <summary>Puts the HA grains on a silo.</summary>
public static class AviGrainsSiloBuilderExtensions
{
    /// <summary>
    /// The HA grains: SE-pinned placement, the domain's serialization, System.Text.Json grain state
    /// (the named storage <see cref="HaRegistry.StorageName"/> is the silo's to add), the membership
    /// watcher, the SE's prober (gateway monitors and pool health checks, <see cref="MonitoringOptions"/>), the graceful hand-off on stop, the grain-backed <see cref="IHaControlPlane"/> for a
    /// co-hosted gateway, and, unless the host registered its own, <see cref="LoggingVipOwnership"/>
    /// and <see cref="MembershipTakeoverGate"/>.
    /// </summary>
    public static ISiloBuilder AddAviGrains(this ISiloBuilder builder, Action<AviGrainsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSePinnedPlacement();
        var services = builder.Services;
        services.AddSerializer(s => s.AddAviSerialization());
        services.AddOptions<AviGrainsOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddOptions<TakeoverGateOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AviGrainsOptions>, AviGrainsOptionsValidator>();
        services.AddSingleton<IValidateOptions<TakeoverGateOptions>, AviGrainsOptionsValidator>();
        builder.UseSystemTextJsonGrainStorageSerializer();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IVipOwnership, LoggingVipOwnership>();
        services.TryAddSingleton<ITakeoverGate, MembershipTakeoverGate>();
        services.AddSingleton<MembershipWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<MembershipWatcher>());
        services.AddOptions<MonitoringOptions>();
        services.AddSingleton<ServiceEngineMonitors>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ServiceEngineMonitors>());
        services.AddSingleton<PlacementRecordSender>();
        services.AddSingleton<GracefulHandOff>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<GracefulHandOff>());
        services.AddAviHaControlPlane();
        return builder;
    }

    /// <summary>Registers the director of <see cref="SePinnedPlacementStrategy"/> (an SE grain runs only on its own SE's silo).</summary>
    public static ISiloBuilder AddSePinnedPlacement(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPlacementDirector<SePinnedPlacementStrategy, SePinnedPlacementDirector>();
        return builder;
    }
}
