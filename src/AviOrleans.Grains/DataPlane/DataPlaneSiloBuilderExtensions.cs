using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane;

/// <summary>Registers the silo's data plane.</summary>
public static class DataPlaneSiloBuilderExtensions
{
    /// <summary>
    /// Adds the data plane to the silo: <see cref="IVipOwnership"/> (netlink on
    /// <see cref="DataPlaneOptions.VipInterface"/>, or logging only when there is none or the process lacks
    /// CAP_NET_ADMIN), the self-fence (<see cref="IHostFence"/>) with its lease and guard process,
    /// <see cref="ITakeoverGate"/> (<see cref="FencedTakeoverGate"/>) and the datapath heartbeats. Replaces any
    /// ownership or gate registered before. The lease store (<see cref="ILeaseStore"/>) must be registered by the host (<c>UseAviStore</c>).
    /// </summary>
    public static ISiloBuilder AddAviDataPlane(this ISiloBuilder builder, Action<DataPlaneOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var optionsBuilder = services.AddOptions<DataPlaneOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DataPlaneOptions>, DataPlaneOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LivenessEvidence>();
        services.AddSingleton<IHostFence>(sp => sp.GetRequiredService<LivenessEvidence>());
        services.AddSingleton<ConfirmationLedger>();
        services.AddSingleton<PeerContacts>();
        services.AddSingleton(sp => new SiloLeases(
            sp.GetService<ILeaseStore>() ?? throw new InvalidOperationException("The data plane needs a lease store (ILeaseStore) registered by the silo host (UseAviStore does): VIP fencing judges leases by the store's clock."),
            sp.GetRequiredService<IOptions<DataPlaneOptions>>(),
            sp.GetRequiredService<ILocalSiloDetails>()));
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<DatapathHeartbeatClient>();
        services.AddSingleton<HeartbeatMonitor>();
        services.AddSingleton<SuspicionReporter>();
        services.AddSingleton<GroupOrders>();
        services.AddSingleton<GuardConnection>();
        services.AddSingleton<OwnershipSelection>();
        services.Replace(ServiceDescriptor.Singleton<IVipOwnership>(sp => sp.GetRequiredService<OwnershipSelection>().Ownership));
        services.Replace(ServiceDescriptor.Singleton<ITakeoverGate>(sp => new FencedTakeoverGate(
            sp.GetRequiredService<IMembershipTable>(),
            sp.GetRequiredService<SiloLeases>(),
            sp.GetRequiredService<DatapathHeartbeatClient>(),
            sp.GetRequiredService<IOptions<DataPlaneOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FencedTakeoverGate>>())));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DataPlaneLifecycle>();
        builder.AddGrainService<DatapathHeartbeatService>();
        return builder;
    }
}
