using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;
using Orleans.Runtime;

namespace AviOrleans.Grains;

/// <summary>
/// Driving the SEs to the committed placement (HA-CONTRACT.md, ordering rules): an address leaving
/// an SE is first removed there (its ack says so); where that cannot be confirmed (the SE is down
/// or unreachable), the new owner gets it only after the takeover gate says the old one is fenced.
/// Then every SE gets its full order at the committed epoch. One drive at a time; a commit during
/// a drive makes it run again.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    private readonly HashSet<string> _ordered = new(StringComparer.Ordinal);
    private Dictionary<string, ImmutableHashSet<string>>? _held;
    private Task _driving = Task.CompletedTask;
    private bool _driveAgain;
    private bool _skippedSuperseded;

    private static readonly TimeSpan UndeliveredRetry = TimeSpan.FromMilliseconds(500);

    public Task<OwnershipOrder?> GetOrderAsync(string seName)
    {
        // Until this activation knows who holds what (its first drive asks every SE), it promises nothing.
        if (Placement is not { } placement || _config.Group is null || _held is null)
        {
            return Task.FromResult<OwnershipOrder?>(null);
        }

        // An SE that asks (starting, or its fence just lifted) gets only what ordering rule 2 allows now: its addresses
        // that no other SE holds or may hold (an unconfirmed removal stays in _held), and, while a drive is under way
        // (its orders in flight are not in _held yet), nothing it does not hold already. What it is given counts as
        // held by it, so no other SE gets those addresses before it confirms their removal.
        var heldHere = _held.GetValueOrDefault(seName, []);
        var heldElsewhere = _held.Where(h => !string.Equals(h.Key, seName, StringComparison.Ordinal)).SelectMany(h => h.Value).ToHashSet(StringComparer.Ordinal);
        var driving = !_driving.IsCompleted;
        var released = placement.GetAddressesOwnedBy(seName)
            .Where(o => driving ? heldHere.Contains(o.Address) : !heldElsewhere.Contains(o.Address))
            .ToArray();
        _held[seName] = heldHere.Union(released.Select(o => o.Address));
        return Task.FromResult<OwnershipOrder?>(new OwnershipOrder(Name, placement.Epoch, [.. released.Select(ToOwned)]));
    }

    public async Task<HaOperationResult> HandOffAsync(string seName)
    {
        if (_config.Engines.GetValueOrDefault(seName) is not { OperState: OperState.Up })
        {
            return new HaOperationResult([], [], 0);
        }

        foreach (var member in _membership?.CurrentSnapshot.Members.Values ?? [])
        {
            if (member.Status == SiloStatus.Active && string.Equals(member.Name, seName, StringComparison.Ordinal))
            {
                _leaving.Add(member.SiloAddress);
            }
        }

        NoteLiveness(seName, false, _time.GetUtcNow(), "its silo is shutting down");
        var result = await DecideAsync<HaOperationResult>(
            EngineKind,
            seName,
            config => config.Engines.GetValueOrDefault(seName) is { } se
                ? new Plan(new ConfigurationChange { UpsertServiceEngines = [se with { OperState = OperState.Inactive }] }, null)
                : Plan.Nothing(new HaOperationResult([], [], 0)),
            validateOnly: false);

        // Wait for the drive that hands the addresses over: the leaving SE's removal is confirmed
        // by its own ack, so no fencing window is needed.
        while (!_driving.IsCompleted)
        {
            await _driving;
        }

        return result;
    }

    private static OwnedAddress ToOwned(AddressOwner owner) => new(
        owner.Address,
        owner.Address.Contains(':', StringComparison.Ordinal) ? 128 : 32,
        owner.Kind switch
        {
            AddressKind.SnatIp => OwnedAddressKind.Snat,
            AddressKind.FloatingInterfaceIp => OwnedAddressKind.FloatingInterface,
            _ => OwnedAddressKind.Vip,
        },
        owner.VsRef ?? owner.SeRef);

    private void AfterCommit(GroupPlacement? previous, GroupPlacement? placement, EquatableArray<HaEvent> events, DateTimeOffset now, GroupConfig before, GroupConfig after)
    {
        ScheduleDrainTimer();
        RecordPlacements(previous, placement, events, now);
        if (before.Group is null && after.Group is not null)
        {
            StartBackgroundWork();
        }
        else
        {
            KickDriver();
        }
    }

    private void KickDriver()
    {
        _driveAgain = true;
        if (_driving.IsCompleted)
        {
            _driving = DriveLoopAsync();

            // Once the SEs hold what the placement says, the group may move to where it is safest.
            _ = _driving.ContinueWith(_ => MoveHomeWhenSteady(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);
        }
    }

    private async Task DriveLoopAsync()
    {
        while (_driveAgain && !_deactivating.IsCancellationRequested)
        {
            _driveAgain = false;
            try
            {
                await DriveAsync(_deactivating.Token);
                await SendMonitoringAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_deactivating.IsCancellationRequested)
            {
                GrainLog.DriveFailed(_logger, Name, ex);
            }
        }
    }

    private async Task DriveAsync(CancellationToken cancellationToken)
    {
        if (Placement is not { } placement || _config.Group is null)
        {
            return;
        }

        var owned = placement.GetAddressOwners()
            .GroupBy(o => o.SeRef, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var desired = owned.ToDictionary(o => o.Key, o => o.Value.Select(a => a.Address).ToImmutableHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        OwnershipOrder OrderOf(string se, Func<string, bool> keep) =>
            new(Name, placement.Epoch, [.. owned.GetValueOrDefault(se, []).Where(o => keep(o.Address)).Select(ToOwned)]);

        // After an activation nothing is known of what the hosts hold (the previous activation may
        // have died mid-drive): ask every reachable SE, and wait until every other SE of the group
        // is fenced, before any address is given to anyone.
        var learning = _held is null;
        if (learning && !await LearnHoldersAsync(cancellationToken))
        {
            _driveAgain = true;
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
            return;
        }

        if (learning && SupersededWhileWaiting(placement))
        {
            // Decided anew while the holders were learnt (and their gates waited): drive the newer placement.
            return;
        }

        _held ??= new Dictionary<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        var unconfirmed = new Dictionary<string, string>(StringComparer.Ordinal);

        // 1. Removals: every SE that holds an address it must no longer hold keeps only what it may.
        var removals = _held
            .Select(h => (Se: h.Key, Keep: h.Value.Intersect(desired.GetValueOrDefault(h.Key, [])), Losing: h.Value.Except(desired.GetValueOrDefault(h.Key, []))))
            .Where(r => r.Losing.Count > 0)
            .ToArray();
        var removed = await Task.WhenAll(removals.Select(r => IsReachable(r.Se) ? SendAsync(r.Se, OrderOf(r.Se, r.Keep.Contains)) : Task.FromResult<OwnershipAck?>(null)));
        for (var i = 0; i < removals.Length; i++)
        {
            if (removed[i] is { Applied: true })
            {
                _held[removals[i].Se] = removals[i].Keep;
                _ordered.Add(removals[i].Se);
            }
            else
            {
                foreach (var address in removals[i].Losing)
                {
                    unconfirmed[address] = removals[i].Se;
                }
            }
        }

        // 2. Addresses whose old owner could not confirm: the new owner waits until it is fenced.
        var fenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var oldOwner in unconfirmed.Values.Distinct(StringComparer.Ordinal))
        {
            try
            {
                await WaitUntilFencedAsync(oldOwner, cancellationToken);
                fenced.Add(oldOwner);
                _held.Remove(oldOwner);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                GrainLog.NotFenced(_logger, Name, oldOwner, ex);
            }
        }

        // A decision committed while the gate waited (typically the one that follows the death the gate waited
        // on) supersedes this placement: drive that one instead of sending orders it would undo at once.
        if (fenced.Count > 0 && SupersededWhileWaiting(placement))
        {
            return;
        }

        // 3. Every reachable SE whose set changed (or that has had no order from this activation)
        //    gets its full order; addresses still held elsewhere unconfirmed are left out.
        var blocked = unconfirmed.Where(u => !fenced.Contains(u.Value)).Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var orders = _config.Engines.Keys
            .Where(IsReachable)
            .Select(se => OrderOf(se, a => !blocked.Contains(a)) is var order ? (Se: se, Order: order) : default)
            .Where(o => !_ordered.Contains(o.Se) || !_held.GetValueOrDefault(o.Se, []).SetEquals(o.Order.Addresses.Select(a => a.Address)))
            .ToArray();
        _skippedSuperseded = false;
        var acks = await Task.WhenAll(orders.Select(o => SendAsync(o.Se, o.Order)));
        for (var i = 0; i < orders.Length; i++)
        {
            if (acks[i] is { Applied: true } ack)
            {
                _held[orders[i].Se] = [.. orders[i].Order.Addresses.Select(a => a.Address)];
                _ordered.Add(orders[i].Se);
                RecordTakeover(orders[i].Se, placement.Epoch, ack);
            }
            else if (acks[i] is null)
            {
                // No answer (its silo died while the order was in flight): it may have applied it.
                _held[orders[i].Se] = _held.GetValueOrDefault(orders[i].Se, []).Union(orders[i].Order.Addresses.Select(a => a.Address));
            }
        }

        if (blocked.Count > 0)
        {
            // Try again later: the gate may pass once the old owner is declared dead.
            _driveAgain = true;
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
        }
        else if (orders.Where((o, i) => acks[i] is null && IsReachable(o.Se)).Any())
        {
            // Undelivered to an SE that is still a live member: typically a silo that just joined, whose grain types
            // this silo does not know yet, so the SE grain cannot be placed there. Nothing else would send the order
            // again (the SE's grain never activated to ask for it), so the drive does, soon.
            _driveAgain = true;
            await Task.Delay(UndeliveredRetry, _time, cancellationToken);
        }
    }

    // Once in a row at most (the flag is cleared when orders go out), so that a stream of decisions cannot keep the SEs
    // from ever getting an order.
    private bool SupersededWhileWaiting(GroupPlacement placement)
    {
        if (ReferenceEquals(Placement, placement) || _skippedSuperseded)
        {
            return false;
        }

        _skippedSuperseded = true;
        _driveAgain = true;
        return true;
    }

    private async Task<bool> LearnHoldersAsync(CancellationToken cancellationToken)
    {
        var ses = _config.Engines.Keys.ToArray();
        var reports = await Task.WhenAll(ses.Select(async se =>
        {
            if (!IsReachable(se))
            {
                return (se, (ServiceEngineReport?)null);
            }

            try
            {
                return (se, (ServiceEngineReport?)await GrainFactory.GetGrain<IServiceEngineGrain>(se).GetReportAsync());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                GrainLog.OrderNotDelivered(_logger, Name, se, Placement?.Epoch ?? 0, ex);
                return (se, (ServiceEngineReport?)null);
            }
        }));
        var held = new Dictionary<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        foreach (var (se, report) in reports)
        {
            if (report is null)
            {
                try
                {
                    await _gate.WaitUntilFencedAsync(se, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    GrainLog.NotFenced(_logger, Name, se, ex);
                    return false;
                }

                continue;
            }

            var applied = report.Applied.FirstOrDefault(o => string.Equals(o.SeGroup, Name, StringComparison.Ordinal));
            held[se] = applied is null ? [] : [.. applied.Addresses.Select(a => a.Address)];
        }

        _held = held;
        return true;
    }

    // An SE grain activates only on the SE's own Active silo: there is no one to order otherwise.
    private bool IsReachable(string seName) => LocalLiveness(seName) == true || _leaving.Count > 0 && IsLeaving(seName);

    private bool IsLeaving(string seName) =>
        _membership?.CurrentSnapshot.Members.Values.Any(m => m.Status == Orleans.Runtime.SiloStatus.Active && _leaving.Contains(m.SiloAddress) && string.Equals(m.Name, seName, StringComparison.Ordinal)) == true;

    private async Task<OwnershipAck?> SendAsync(string seName, OwnershipOrder order)
    {
        try
        {
            return await GrainFactory.GetGrain<IServiceEngineGrain>(seName).ApplyAsync(order);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainLog.OrderNotDelivered(_logger, Name, seName, order.Epoch, ex);
            return null;
        }
    }
}
