namespace AviOrleans.Domain.Internal;

/// <summary>The elastic modes: N+M (<c>HA_MODE_SHARED</c>) and active/active (<c>HA_MODE_SHARED_PAIR</c>), §2.2, §2.3.</summary>
internal sealed partial class PlacementComputation
{
    private void RunElastic()
    {
        EvictGrownUnits();
        foreach (var se in _ses)
        {
            se.StartLoad = se.Load;
            se.InUse = se.Load > 0;
        }

        _index = new SeLoadIndex(_ses);

        foreach (var unit in _units)
        {
            RepairPrimary(unit);
        }

        SizeNPlusMGroup();
        MigrateOffDisabledSes();
        foreach (var request in _input.Requests)
        {
            _outcomes.Add(ApplyElasticRequest(request));
        }

        AutoRebalance();

        foreach (var unit in _units)
        {
            FillUnit(unit);
        }
    }

    /// <summary>
    /// A shared VIP whose enabled VSs grew takes more slots on each of its SEs; where that overfills an SE the unit
    /// leaves that SE (and is placed again where it fits), so no SE ever holds more than <c>max_vs_per_se</c>.
    /// </summary>
    private void EvictGrownUnits()
    {
        foreach (var unit in _units)
        {
            if (unit.Weight <= unit.PreviousWeight || unit.Entries.Count == 0)
            {
                continue;
            }

            for (var i = unit.Entries.Count - 1; i >= 0; i--)
            {
                var se = _ses[unit.Entries[i].Se];
                if (se.Load > se.Capacity)
                {
                    unit.Entries.RemoveAt(i);
                    se.Load -= unit.Weight;
                    var name = UnitNames(unit);
                    Emit(HaEventType.VsPlacementRemoved, name, se.Name, $"{name} leaves {se.Name}: the virtual services sharing its VIP no longer fit there");
                }
            }
        }
    }

    /// <summary>
    /// After placements were dropped: if the primary went, the oldest remaining secondary takes the VIP (AS-24);
    /// if only draining placements remain, the first of them stops draining rather than leave the VS with none.
    /// </summary>
    private void RepairPrimary(EngineUnit unit)
    {
        if (unit.Entries.Count == 0 || unit.PrimaryIndex() >= 0)
        {
            return;
        }

        var best = -1;
        for (var i = 0; i < unit.Entries.Count; i++)
        {
            if (!unit.Entries[i].Deleting && (best < 0 || unit.Entries[i].SecIdx < unit.Entries[best].SecIdx))
            {
                best = i;
            }
        }

        var revived = false;
        if (best < 0)
        {
            best = 0;
            revived = true;
        }

        var e = unit.Entries[best];
        e.IsPrimary = true;
        e.Deleting = false;
        e.Deadline = null;
        e.Migrating = false;
        unit.Entries[best] = e;
        for (var i = 0; i < unit.Entries.Count; i++)
        {
            if (i != best && unit.Entries[i].IsPrimary)
            {
                var other = unit.Entries[i];
                other.IsPrimary = false;
                unit.Entries[i] = other;
            }
        }

        var name = UnitNames(unit);
        var se = _ses[e.Se].Name;
        Emit(HaEventType.VsSwitchover, name, se, revived
            ? $"{name}: draining placement on {se} kept and made primary, it is the only one left"
            : $"{name}: secondary {se} promoted to primary and takes over the VIP");
    }

    /// <summary>SE_STATE_DISABLED: every VS on the SE migrates away gracefully (scale out, promote, drain), AS-34.</summary>
    private void MigrateOffDisabledSes()
    {
        foreach (var se in _ses)
        {
            if (!se.Alive || se.Config.EnableState != SeEnableState.Disabled)
            {
                continue;
            }

            foreach (var unit in _units)
            {
                for (var i = 0; i < unit.Entries.Count; i++)
                {
                    var e = unit.Entries[i];
                    if (e.Se != se.Index || e.Deleting)
                    {
                        continue;
                    }

                    var target = ChooseSe(unit, restrictToIdle: false);
                    if (target < 0)
                    {
                        se.MigrationFailed = true;
                        continue;
                    }

                    var upgrade = se.Config.DisabledForUpgrade;
                    if (!se.MigrationStarted && (_previous?.ServiceEngines.FirstOrDefault(r => string.Equals(r.SeRef, se.Name, StringComparison.Ordinal))?.OperState is not (OperState.Disabling or OperState.ErrorDisabled)))
                    {
                        Emit(HaEventType.MigrateSeStarted, null, se.Name, upgrade
                            ? $"service engine {se.Name} is disabled for its upgrade: its virtual services migrate away before it restarts"
                            : $"service engine {se.Name} is disabled: its virtual services migrate away");
                    }

                    se.MigrationStarted = true;
                    MoveEntry(unit, i, target, upgrade ? $"service engine {se.Name} is about to be upgraded" : $"service engine {se.Name} is disabled", upgrade ? HaEventType.UpgradeSeVsMigrate : HaEventType.VsMigrateStarted);
                }
            }
        }
    }

    // A placement added for a virtual service that had placements is the upgrade's while a rolling upgrade takes an
    // SE of the group away (restarting, or disabled for it), or when it lands on an SE back from its upgrade: up again
    // after restarting, or enabled again with the upgrade's mark (the upgrade clears it after that decision).
    private bool ForUpgrade(int target) =>
        _ses[target].Config.DisabledForUpgrade
        || _previous?.ServiceEngines.FirstOrDefault(r => string.Equals(r.SeRef, _ses[target].Name, StringComparison.Ordinal))?.OperState == OperState.Upgrading
        || _ses.Any(s => s.Config.OperState == OperState.Upgrading || (s.Config.DisabledForUpgrade && s.Config.EnableState != SeEnableState.Enabled));

    /// <summary>Adds a placement on <paramref name="target"/> that replaces entry <paramref name="index"/>, which drains;
    /// reported as <paramref name="reported"/> (a migration, or an upgrade's migration).</summary>
    private void MoveEntry(EngineUnit unit, int index, int target, string why, HaEventType reported = HaEventType.VsMigrateStarted)
    {
        var old = unit.Entries[index];
        AddEntry(unit, target, old.IsPrimary);
        old.IsPrimary = false;
        old.Deleting = true;
        old.Migrating = true;
        old.Deadline = _input.Now.AddSeconds(_group.VsScaleinTimeout);
        unit.Entries[index] = old;
        var name = UnitNames(unit);
        Emit(reported, name, _ses[target].Name, $"{name} migrates from {_ses[old.Se].Name} to {_ses[target].Name} ({why}); {_ses[old.Se].Name} drains for {_group.VsScaleinTimeout} s");
    }

    private void AddEntry(EngineUnit unit, int se, bool primary)
    {
        unit.Entries.Add(new EngineEntry { Se = se, IsPrimary = primary, SecIdx = unit.NextSecIdx() });
        _index.AddLoad(_ses[se], unit.Weight);
    }

    /// <summary>Places a unit up to its wanted count; reports it unplaced or HA-compromised when SEs are missing.</summary>
    private void FillUnit(EngineUnit unit)
    {
        var name = UnitNames(unit);
        if (unit.Weight == 0)
        {
            unit.State = OperState.Disabled;
            unit.Reason = "the virtual service is disabled";
            return;
        }

        var target = TargetCount(unit);
        var active = unit.ActiveCount;
        var initial = active == 0;

        // Distributed active/active does not squeeze a failed SE's share onto the survivors: it waits for a
        // replacement (an SE that is idle), as Avi waits for a new SE (§2.3). The wait lasts while the VS is
        // reported compromised. New VSs, and placements added because the wanted count rose, go anywhere.
        var waitForIdle = _group.HaMode == HaMode.SharedPair && _group.Algo == PlacementAlgo.Distributed && active > 0
            && (unit.LostPlacement || unit.Previous is { HaCompromised: true });
        while (active < target)
        {
            var se = ChooseSe(unit, waitForIdle);
            if (se < 0)
            {
                break;
            }

            AddEntry(unit, se, unit.PrimaryIndex() < 0);
            active++;
            Emit(unit.HadEntries && ForUpgrade(se) ? HaEventType.UpgradeSeVsScaleout : HaEventType.VsScaleoutDone, name, _ses[se].Name, initial && active == 1
                ? (unit.HadEntries ? $"{name} re-placed on {_ses[se].Name}" : $"{name} placed on {_ses[se].Name}")
                : $"{name} placed on {_ses[se].Name} ({active} of {target} wanted)");
        }

        var before = unit.Previous;
        if (active == 0)
        {
            unit.State = OperState.Resources;
            unit.Reason = NoCapacityReason();
            if (before is null || before.OperState != OperState.Resources || !string.Equals(before.Reason, unit.Reason, StringComparison.Ordinal))
            {
                Emit(HaEventType.VsInitialPlacementFailed, name, null, $"{name} cannot be placed: {unit.Reason}");
            }

            return;
        }

        unit.State = OperState.Up;
        if (active < target)
        {
            unit.HaCompromised = true;
            unit.Reason = $"on {active} of {target} wanted service engines; waiting for a service engine";
            if (before is null || !before.HaCompromised)
            {
                Emit(HaEventType.VsScaleoutDoneAwaitingMoreSe, name, null, $"{name} {unit.Reason}");
            }
        }
        else if (before is { HaCompromised: true })
        {
            Emit(HaEventType.VsSeHaActive, name, null, $"{name} is on all {target} wanted service engines again");
        }
    }

    private string NoCapacityReason()
    {
        if (_ses.Length == 0)
        {
            return $"group {_group.Name} has no service engine";
        }

        if (!_ses.Any(s => s.Eligible))
        {
            return $"no service engine of group {_group.Name} is up and enabled";
        }

        if (_index.InUseCount >= _group.MaxSe && _ses.Any(s => s.Eligible && !s.InUse))
        {
            return $"group {_group.Name} has max_se = {_group.MaxSe} service engines in use and they are full (max_vs_per_se = {_group.SlotsPerSe})";
        }

        return $"every eligible service engine of group {_group.Name} is full (max_vs_per_se = {_group.SlotsPerSe})";
    }

    /// <summary>
    /// Chooses the SE for one more placement of <paramref name="unit"/>, or -1. Candidates are up, enabled, have
    /// room for the unit's weight and do not hold it yet; with <c>vs_host_redundancy</c> an SE on a host the unit
    /// does not use yet is preferred (AS-62). Among candidates the least-loaded wins (ties: name order).
    /// Packed keeps to the SEs in use and brings an idle SE in only when needed — in N+M also as soon as
    /// the free slots would drop below <c>buffer_se × max_vs_per_se</c> (§2.2 buffer rule).
    /// Distributed considers every SE, so idle ones go first, while the SEs in use stay within <c>max_se</c>.
    /// O(log SEs) per placement.
    /// </summary>
    private int ChooseSe(EngineUnit unit, bool restrictToIdle)
    {
        var packed = _group.Algo == PlacementAlgo.Packed && !restrictToIdle;
        if (!packed)
        {
            var (any, otherHost) = BestCandidate(unit, inUseOnly: _index.InUseCount >= _group.MaxSe, restrictToIdle);
            return otherHost >= 0 ? otherHost : any;
        }

        if (_group.HaMode == HaMode.Shared)
        {
            EnsureBuffer(unit.Weight);
        }

        var (best, bestOtherHost) = BestCandidate(unit, inUseOnly: true, restrictToIdle: false);
        if (bestOtherHost >= 0)
        {
            return bestOtherHost;
        }

        // No SE in use satisfies vs_host_redundancy: an idle SE on another host is better than a shared host.
        var idle = _group.VsHostRedundancy ? NextIdle(unit) : -1;
        if (idle < 0 && best >= 0)
        {
            return best;
        }

        idle = idle >= 0 ? idle : NextIdle(null);
        if (idle < 0 || _ses[idle].Free < unit.Weight)
        {
            return -1;
        }

        _index.MarkInUse(_ses[idle]);
        return idle;
    }

    /// <summary>
    /// N+M sizing for the whole computation: the group needs N + M SEs in use, N = ceil(placements / slots per SE),
    /// M = <c>buffer_se</c> (§2.2). Bringing them in before placing spreads a batch evenly (AS-10: 20 VSs on 4 SEs, 5 each).
    /// </summary>
    private void SizeNPlusMGroup()
    {
        if (_group.HaMode != HaMode.Shared || _group.Algo != PlacementAlgo.Packed)
        {
            return;
        }

        long placements = 0;
        foreach (var unit in _units)
        {
            if (unit.Weight > 0)
            {
                placements += (long)unit.Weight * Math.Max(TargetCount(unit), unit.ActiveCount);
            }
        }

        if (placements == 0)
        {
            return;
        }

        var slots = Math.Max(1, _group.SlotsPerSe);
        var needed = ((placements + slots - 1) / slots) + _group.BufferSe;
        var inUse = _ses.Count(s => s.InUse && s.Eligible);
        while (inUse < needed)
        {
            var idle = NextIdle(null);
            if (idle < 0)
            {
                return;
            }

            _index.MarkInUse(_ses[idle]);
            inUse++;
        }
    }

    private void EnsureBuffer(int weight)
    {
        var wanted = (long)_group.BufferSe * _group.SlotsPerSe;
        while (_index.FreeInUse - weight < wanted)
        {
            var idle = NextIdle(null);
            if (idle < 0)
            {
                return;
            }

            _index.MarkInUse(_ses[idle]);
        }
    }

    /// <summary>
    /// The first up, enabled SE not in use (with room and on a host <paramref name="unit"/> does not use, when given),
    /// if the group may still grow: <c>max_se</c> counts every SE in use.
    /// </summary>
    private int NextIdle(EngineUnit? unit) =>
        _index.InUseCount < _group.MaxSe
            ? _index.NextIdle(unit is null ? null : se => SharesHost(unit, se.Host), unit?.Weight ?? 0)
            : -1;

    private (int Best, int BestOtherHost) BestCandidate(EngineUnit unit, bool inUseOnly, bool restrictToIdle) =>
        _index.Best(
            inUseOnly,
            unit.Weight,
            se => (restrictToIdle && se.StartLoad != 0) || unit.HasEntryOn(se.Index),
            se => SharesHost(unit, se.Host),
            _group.VsHostRedundancy);

    private bool SharesHost(EngineUnit unit, int host)
    {
        foreach (var e in unit.Entries)
        {
            if (!e.Deleting && _ses[e.Se].Host == host)
            {
                return true;
            }
        }

        return false;
    }
}
