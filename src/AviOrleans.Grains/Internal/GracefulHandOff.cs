using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// A silo that is stopped (SIGTERM) hands its SE's active placements to peers before it withdraws
/// its addresses and leaves: when the silo starts to stop (the lifecycle leaves Active, before
/// grains are deactivated and before the host's data plane is torn down), the SE's group moves
/// its placements away and waits until the peers were ordered to take the addresses (bounded by
/// <see cref="AviGrainsOptions.HandOffTimeout"/>); only then does the stop go on.
/// </summary>
internal sealed class GracefulHandOff(
    ILocalSiloDetails silo,
    IGrainFactory grains,
    IOptions<AviGrainsOptions> options,
    ILogger<GracefulHandOff> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(GracefulHandOff), ServiceLifecycleStage.Active, _ => Task.CompletedTask, HandOffAsync);

    private async Task HandOffAsync(CancellationToken cancellationToken)
    {
        var seName = silo.Name;
        try
        {
            var group = await grains.GetGrain<IHaRegistryGrain>(HaRegistry.Key).FindServiceEngineGroupAsync(seName).ConfigureAwait(false);
            if (group is null)
            {
                return;
            }

            GrainLog.HandingOff(logger, seName);
            await grains.GetGrain<IServiceEngineGroupGrain>(group).HandOffAsync(seName)
                .WaitAsync(options.Value.HandOffTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Leaving anyway: the peers take over once membership declares this silo dead.
            GrainLog.HandOffIncomplete(logger, seName, ex);
        }
    }
}
