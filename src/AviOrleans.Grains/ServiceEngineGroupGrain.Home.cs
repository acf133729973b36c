using AviOrleans.Domain;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace AviOrleans.Grains;

/// <summary>
/// Where the group lives. The group decides every failover of its SEs, so it should not die with the SE it must
/// decide about: while the group is steady it moves (Orleans grain migration, its state carried over) to the silo of
/// the SE with the fewest active placements, in a legacy pair the standby. A dead active's failover is then decided
/// by a running activation, instead of one that is placed, activated and taught who holds what first.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    /// <summary>
    /// Called after each drive and by the membership timer: asks Orleans to move this activation to
    /// <see cref="HomeSilo"/> once it is idle, when it is not there and nothing is under way that a move would cut short.
    /// </summary>
    private void MoveHomeWhenSteady()
    {
        if (_membership is null || !IsSteady() || HomeSilo(_membership.CurrentSnapshot) is not { } home
            || home.Equals(_silo))
        {
            return;
        }

        RequestContext.Set(IPlacementDirector.PlacementHintKey, home);
        this.MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
    }

    // Nothing queued, being decided or driven, no failover timeline waiting for its health check, no upgrade holding
    // the group: a move then loses nothing the new activation does not learn again (who holds what, the first drive).
    private bool IsSteady() =>
        _config.Group is not null && _queue.Count == 0 && _deciding.IsCompleted && _driving.IsCompleted && !_driveAgain
        && _held is not null && _openTimelines.Count == 0 && _awaitingHealthCheck.Count == 0 && _leaving.Count == 0
        && (_upgrade is not { } upgrade || upgrade.Until <= _time.GetUtcNow());

    /// <summary>
    /// The silo of the group's SE with the fewest active placements (ties: by name), among SEs that are up and whose
    /// silo is Active; null when this silo is such an SE's already, or when no SE qualifies (the group stays).
    /// </summary>
    private SiloAddress? HomeSilo(ClusterMembershipSnapshot snapshot)
    {
        var silos = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single().SiloAddress, StringComparer.Ordinal);
        var candidates = _config.Engines.Values
            .Where(se => se.OperState == OperState.Up && se.EnableState == SeEnableState.Enabled && silos.ContainsKey(se.Name))
            .Select(se => (se.Name, Actives: ActivePlacements(se.Name)))
            .OrderBy(c => c.Actives)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
        if (candidates.Length == 0)
        {
            return null;
        }

        var fewest = candidates[0].Actives;
        var here = snapshot.Members.GetValueOrDefault(_silo)?.Name;
        return candidates.Any(c => c.Actives == fewest && string.Equals(c.Name, here, StringComparison.Ordinal))
            ? null
            : silos[candidates[0].Name];
    }

    private int ActivePlacements(string seName) =>
        (Placement?.VirtualServices ?? default).Count(v => v.SeList.Any(e => !e.IsStandby && string.Equals(e.SeRef, seName, StringComparison.Ordinal)));
}
