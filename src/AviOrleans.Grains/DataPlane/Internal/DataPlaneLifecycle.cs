using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Starts and stops the data plane with the silo. At <see cref="ServiceLifecycleStage.RuntimeGrainServices"/>: the
/// self-fence thread, the VIP agent (its start-up reconcile removes every marked address), the guard process; one stage
/// later, the lease keeper. At <see cref="ServiceLifecycleStage.Active"/>: the datapath heartbeats. Stopping runs the other way;
/// by the time the grain-services stage stops, the grains have handed their work over, so the host withdraws every
/// address, revokes its lease (survivors need not wait out its window) and kills its guard; a stop cut short (the
/// silo was told it is dead) does the same, each step bounded.
/// </summary>
internal sealed class DataPlaneLifecycle(
    LivenessEvidence evidence,
    OwnershipSelection selection,
    LeaseKeeper leaseKeeper,
    HeartbeatMonitor heartbeats,
    SuspicionReporter suspicions,
    GuardConnection guard,
    IOptions<DataPlaneOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(DataPlaneLifecycle), ServiceLifecycleStage.RuntimeGrainServices, StartAsync, StopAsync);

        // One stage later: Orleans initializes its membership table at RuntimeGrainServices, and the keeper reads it
        // before its first acquisition (the ADO.NET table throws NullReferenceException until it is initialized).
        lifecycle.Subscribe(nameof(DataPlaneLifecycle) + ".Lease", ServiceLifecycleStage.RuntimeGrainServices + 1, StartLeaseKeeperAsync, _ => Task.CompletedTask);
        lifecycle.Subscribe(nameof(DataPlaneLifecycle) + ".Heartbeats", ServiceLifecycleStage.Active, StartHeartbeatsAsync, StopHeartbeatsAsync);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var netlink = selection.Netlink;
        evidence.Start(netlink is null ? null : netlink.WithdrawAll);
        if (netlink is not null)
        {
            await netlink.StartAsync(cancellationToken).ConfigureAwait(false);
            if (options.Value.GuardEnabled)
            {
                await guard.StartAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task StartLeaseKeeperAsync(CancellationToken cancellationToken)
    {
        leaseKeeper.Start();
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        evidence.FencePermanently("the silo is stopping");
        await leaseKeeper.RevokeWhenFencedAsync().ConfigureAwait(false);
        await guard.DisposeAsync().ConfigureAwait(false);
    }

    private Task StartHeartbeatsAsync(CancellationToken cancellationToken)
    {
        heartbeats.Suspected += suspicions.Report;
        heartbeats.Start();
        return Task.CompletedTask;
    }

    private async Task StopHeartbeatsAsync(CancellationToken cancellationToken) => await heartbeats.DisposeAsync().ConfigureAwait(false);
}
