using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// Silo-local: follows Orleans membership and tells each SE's group when the SE's silo (the silo
/// named after it) becomes Active or Dead. Every silo runs one; the groups take the reports
/// idempotently and also re-read the view themselves, so a report lost here is not a state lost.
/// The group of each SE is remembered from the last answer of the registry: a death is reported to that group at
/// once (the registry may have lived on the dead silo, and activating it again costs a store read on the failover's
/// critical path), then checked against the registry and reported again if the SE has moved to another group.
/// </summary>
internal sealed class MembershipWatcher(
    IClusterMembershipService membership,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<MembershipWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _groups = new(StringComparer.Ordinal);
    private Task _watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(MembershipWatcher), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _watching = WatchAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var member in snapshot.Members.Values)
                {
                    var up = member.Status == SiloStatus.Active;
                    var down = member.Status == SiloStatus.Dead;
                    if ((!up && !down) || (known.TryGetValue(member.SiloAddress, out var was) && was == member.Status))
                    {
                        continue;
                    }

                    known[member.SiloAddress] = member.Status;
                    await ReportAsync(member.Name, up).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task ReportAsync(string seName, bool up)
    {
        // Only the watch loop calls this, one report at a time: the dictionary needs no lock.
        var remembered = _groups.GetValueOrDefault(seName);
        if (remembered is not null && !await ReportToAsync(remembered, seName, up).ConfigureAwait(false))
        {
            // Not delivered: the registry's answer gets the report again below.
            remembered = null;
        }

        try
        {
            var group = await grains.GetGrain<IHaRegistryGrain>(HaRegistry.Key).FindServiceEngineGroupAsync(seName).ConfigureAwait(false);
            if (group is null)
            {
                _groups.Remove(seName);
                return;
            }

            _groups[seName] = group;
            if (!string.Equals(group, remembered, StringComparison.Ordinal))
            {
                await ReportToAsync(group, seName, up).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainLog.MembershipReportFailed(logger, seName, ex);
        }
    }

    private async Task<bool> ReportToAsync(string group, string seName, bool up)
    {
        try
        {
            await grains.GetGrain<IServiceEngineGroupGrain>(group).ReportMembershipAsync(seName, up, time.GetUtcNow()).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainLog.MembershipReportFailed(logger, seName, ex);
            return false;
        }
    }
}
