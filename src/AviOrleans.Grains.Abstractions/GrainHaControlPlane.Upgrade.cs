using System.Runtime.CompilerServices;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// Rolling upgrade of a group: the group's <see cref="IGroupUpgradeGrain"/> runs it; a call starts it (or joins the
/// one running to the same version) and streams its reports from the start until it ends. The caller going away
/// stops nothing: call again, on any gateway, to follow it.
/// </summary>
public sealed partial class GrainHaControlPlane
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<UpgradeReport> UpgradeServiceEngineGroupAsync(
        string seGroupRef,
        SeUpgradeParams options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.TargetVersion))
        {
            throw new HaValidationException("version", "The version to upgrade to is required.");
        }

        var group = (await Group(seGroupRef).GetAsync().WaitAsync(cancellationToken)).Name;
        var upgrade = _grains.GetGrain<IGroupUpgradeGrain>(group);
        var run = await upgrade.StartAsync(options).WaitAsync(cancellationToken);
        for (var next = 0; ;)
        {
            var page = await ReadUpgradeAsync(upgrade, run, next, cancellationToken);
            foreach (var report in page.Reports)
            {
                next++;
                yield return report;
            }

            if (page.Ended)
            {
                yield break;
            }
        }
    }

    // The upgrade grain moves off an SE's silo before that SE restarts, and its silo may go away: a read that failed
    // for that is made again, for a while.
    private async Task<UpgradeProgressPage> ReadUpgradeAsync(IGroupUpgradeGrain upgrade, Guid run, int from, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await upgrade.ReadAsync(run, from, WatchPollWait).WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (attempt < 60 && ex is Orleans.Runtime.OrleansMessageRejectionException or Orleans.Runtime.SiloUnavailableException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken);
            }
        }
    }
}
