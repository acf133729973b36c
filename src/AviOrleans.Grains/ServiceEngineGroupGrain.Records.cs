using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// Explaining placements: each change of a virtual service's placement is recorded in its history,
/// and a change of its primary SE gets a failover timeline (suspected, declared dead, decided with
/// the epoch, VIP added, GARP/NA sent) completed as the new owner acknowledges its order, and (for a virtual service
/// whose pool is health-checked) its first passed check on the new primary.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    private readonly Dictionary<string, PlacementRecord> _openTimelines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlacementRecord> _awaitingHealthCheck = new(StringComparer.Ordinal);

    private void RecordPlacements(GroupPlacement? previous, GroupPlacement? placement, EquatableArray<HaEvent> events, DateTimeOffset now)
    {
        if (placement is null || ReferenceEquals(previous, placement))
        {
            return;
        }

        foreach (var vs in placement.VirtualServices)
        {
            var before = previous?.Find(vs.VsRef);
            if (before is not null && before.Equals(vs))
            {
                continue;
            }

            var from = before?.PrimarySeRef;
            var to = vs.PrimarySeRef;

            // The cause: the old primary's death when that is what moved it, else the first thing
            // the engine says about this virtual service, else about the group.
            var cause = events.FirstOrDefault(e => e.Type == HaEventType.SeDown && e.VsRef is null && from is not null && string.Equals(e.SeRef, from, StringComparison.Ordinal))
                ?? events.FirstOrDefault(e => string.Equals(e.VsRef, vs.VsRef, StringComparison.Ordinal))
                ?? events.FirstOrDefault(e => e.VsRef is null);
            var liveness = from is null ? default : _liveness.GetValueOrDefault(from);
            var record = new PlacementRecord(
                vs.VsRef,
                Name,
                placement.Epoch,
                cause is null ? "PLACEMENT_CHANGED" : cause.Type.ToAviName(),
                cause?.Description ?? "the placement changed",
                from,
                to,
                [.. vs.SeList.Select(e => e.SeRef)],
                liveness.SuspectedAt,
                liveness.DeadAt,
                now,
                null,
                null,
                null);
            if (record.IsFailover || (from is null && to is not null))
            {
                _openTimelines[vs.VsRef] = record;
                if (_config.VirtualServices.TryGetValue(vs.VsRef, out var config) && !config.PoolHealthMonitors.IsEmpty && !config.PoolServers.IsEmpty)
                {
                    _awaitingHealthCheck[vs.VsRef] = record;
                }
                else
                {
                    _awaitingHealthCheck.Remove(vs.VsRef);
                }
            }

            Send(record);
        }
    }

    private void RecordTakeover(string seName, long epoch, OwnershipAck ack)
    {
        if (_openTimelines.Count == 0 || Placement is not { } placement)
        {
            return;
        }

        var owners = placement.GetAddressesOwnedBy(seName).Where(o => o.VsRef is not null).ToDictionary(o => o.Address, o => o.VsRef!, StringComparer.Ordinal);
        foreach (var outcome in ack.Outcomes.Where(o => o.Action is AddressAction.Added or AddressAction.Kept))
        {
            if (!owners.TryGetValue(outcome.Address, out var vsRef)
                || !_openTimelines.TryGetValue(vsRef, out var open)
                || open.Epoch > epoch
                || !string.Equals(open.ToSeRef, seName, StringComparison.Ordinal))
            {
                continue;
            }

            // The first address confirmed on the new owner closes the timeline's host steps.
            var closed = open with { VipAddedAt = outcome.AddedAt ?? ack.Outcomes.Min(o => o.AddedAt), AnnouncedAt = outcome.AnnouncedAt };
            _openTimelines.Remove(vsRef);
            if (_awaitingHealthCheck.TryGetValue(vsRef, out var waiting) && waiting.Epoch == closed.Epoch)
            {
                // Keep the host steps in the record that the health check completes later (the same record, by epoch).
                _awaitingHealthCheck[vsRef] = closed;
            }

            Send(closed);
        }
    }

    private void RecordFirstHealthCheck(string seName, string vsRef, long epoch, DateTimeOffset at)
    {
        // Only the primary the timeline names, at (or after) the epoch that made it primary: a late report from an
        // earlier time as primary must not close a later failover.
        if (!_awaitingHealthCheck.TryGetValue(vsRef, out var open)
            || open.Epoch > epoch
            || !string.Equals(open.ToSeRef, seName, StringComparison.Ordinal))
        {
            return;
        }

        _awaitingHealthCheck.Remove(vsRef);
        var closed = open with { FirstHealthCheckAt = at };
        if (_openTimelines.TryGetValue(vsRef, out var hostSteps) && hostSteps.Epoch == open.Epoch)
        {
            // The VIP is not confirmed yet: its record carries the health check too when it closes.
            _openTimelines[vsRef] = hostSteps with { FirstHealthCheckAt = at };
        }

        Send(closed);
    }

    // Not awaited by the decision (the virtual service grain may be the caller of this very decision): the silo's sender
    // delivers it, a few records at a time, in order per virtual service.
    private void Send(PlacementRecord record) => _records.Send(record);
}
