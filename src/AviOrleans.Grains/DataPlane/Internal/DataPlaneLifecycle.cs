using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Starts and stops the data plane with the silo. At <see cref="ServiceLifecycleStage.RuntimeGrainServices"/>: the
/// self-fence thread, the VIP agent (its start-up reconcile removes every marked address), the guard process, the
/// lease keeper. At <see cref="ServiceLifecycleStage.Active"/>: the datapath heartbeats. Stopping runs the other way;
/// by the time the grain-services stage stops, the grains have handed their work over, so the host withdraws every
/// address, revokes its lease (survivors need not wait out its window) and kills its guard.
/// </summary>
internal sealed partial class DataPlaneLifecycle(
    LivenessEvidence evidence,
    OwnershipSelection selection,
    LeaseKeeper leaseKeeper,
    HeartbeatMonitor heartbeats,
    SuspicionReporter suspicions,
    GuardConnection guard,
    IOptions<DataPlaneOptions> options,
    ILogger<DataPlaneLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(DataPlaneLifecycle), ServiceLifecycleStage.RuntimeGrainServices, StartAsync, StopAsync);
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

        leaseKeeper.Start();
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        evidence.FencePermanently("the silo is stopping");
        try
        {
            await evidence.WaitFencedAsync(cancellationToken).ConfigureAwait(false);
            // Withdrawn for good: revoking the lease lets survivors take over without waiting out the window.
            await leaseKeeper.StopAsync(revoke: true, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // An ungraceful stop: the lease runs out by itself, and the guard still removes the addresses if needed.
            Log.StopCut(logger);
            await leaseKeeper.StopAsync(revoke: false, CancellationToken.None).ConfigureAwait(false);
        }

        await guard.DisposeAsync().ConfigureAwait(false);
    }

    private Task StartHeartbeatsAsync(CancellationToken cancellationToken)
    {
        heartbeats.Suspected += suspicions.Report;
        heartbeats.Start();
        return Task.CompletedTask;
    }

    private async Task StopHeartbeatsAsync(CancellationToken cancellationToken) => await heartbeats.DisposeAsync().ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(EventId = 6185, Level = LogLevel.Warning, Message = "The silo's stop was cut short before its addresses were withdrawn; its lease runs out by itself")]
        public static partial void StopCut(ILogger logger);
    }
}
