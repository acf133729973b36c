namespace AviOrleans.Domain.Internal;

/// <summary>Scale-out, scale-in and migrate in the elastic modes (§2.6); legacy-only operations are refused here.</summary>
internal sealed partial class PlacementComputation
{
    private RequestOutcome ApplyElasticRequest(PlacementRequest request) => request switch
    {
        ScaleOutRequest r => ScaleOut(r),
        ScaleInRequest r => ScaleIn(r),
        MigrateRequest r => Migrate(r),
        VsSwitchoverRequest r => Refuse(r, HaEventType.VsSwitchoverFail, r.VsRef, $"switchover applies to {HaMode.LegacyActiveStandby.ToAviName()} groups; use migrate"),
        SeSwitchoverRequest r => Refuse(r, HaEventType.VsSwitchoverFail, null, $"switchover applies to {HaMode.LegacyActiveStandby.ToAviName()} groups; disable the service engine instead"),
        RedistributeRequest r => Refuse(r, HaEventType.VsSwitchoverFail, null, $"redistribute applies to {HaMode.LegacyActiveStandby.ToAviName()} groups"),
        _ => Refuse(request, HaEventType.VsSwitchoverFail, null, $"unknown request {request.GetType().Name}"),
    };

    private RequestOutcome Refuse(PlacementRequest request, HaEventType type, string? vs, string reason)
    {
        Emit(type, vs, null, $"{request.Describe()} refused: {reason}");
        return new RequestOutcome(request, false, reason);
    }

    private static RequestOutcome Accept(PlacementRequest request, string note) => new(request, true, note);

    private bool TryFindPlacedUnit(string vsRef, out EngineUnit unit, out string reason)
    {
        unit = null!;
        var u = UnitOf(vsRef);
        if (u < 0)
        {
            reason = $"virtual service {vsRef} is not in group {_group.Name}";
            return false;
        }

        unit = _units[u];
        if (unit.Weight == 0 || !_vss[unit.Members.First(m => string.Equals(_vss[m].Name, vsRef, StringComparison.Ordinal))].Enabled)
        {
            reason = $"virtual service {vsRef} is disabled";
            return false;
        }

        if (unit.ActiveCount == 0)
        {
            reason = $"virtual service {vsRef} is not placed";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private bool TryTarget(EngineUnit unit, string? toSeRef, out int target, out string reason)
    {
        reason = string.Empty;
        if (toSeRef is null)
        {
            target = ChooseSe(unit, restrictToIdle: false);
            if (target < 0)
            {
                reason = "no up and enabled service engine without this virtual service has a free slot";
                return false;
            }

            return true;
        }

        if (!_seIndex.TryGetValue(toSeRef, out target))
        {
            reason = $"service engine {toSeRef} is not in group {_group.Name}";
            return false;
        }

        var se = _ses[target];
        reason = !se.Eligible ? $"service engine {toSeRef} is not up and enabled"
            : unit.HasEntryOn(target) ? $"the virtual service is already on {toSeRef}"
            : se.Free < unit.Weight ? $"service engine {toSeRef} is full (max_vs_per_se = {se.Capacity})"
            : string.Empty;
        return reason.Length == 0;
    }

    private RequestOutcome ScaleOut(ScaleOutRequest r)
    {
        if (!TryFindPlacedUnit(r.VsRef, out var unit, out var reason))
        {
            return Refuse(r, HaEventType.VsScaleoutFailed, r.VsRef, reason);
        }

        var scale = CurrentScale(unit);
        if (scale >= _group.MaxScaleoutPerVs)
        {
            return Refuse(r, HaEventType.VsScaleoutFailed, r.VsRef, $"already at {scale} service engines, max_scaleout_per_vs = {_group.MaxScaleoutPerVs}");
        }

        if (!TryTarget(unit, r.ToSeRef, out var target, out reason))
        {
            if (r.ToSeRef is null && CanGrow(out var counting))
            {
                // Avi (write access) creates an SE for the scale-out and the VS waits for it (VS_SCALEOUT_DONE_AWAITING_MORE_SE,
                // §2.6); AviOrleans raises the request, asks for the SE (SE_NEEDED) and places as soon as one joins.
                SetScale(unit, scale + 1);
                return Accept(r, $"{scale + 1} service engines requested; waiting for a service engine to join (max_se = {_group.MaxSe}, {counting} counting)");
            }

            return Refuse(r, HaEventType.VsScaleoutFailed, r.VsRef, r.ToSeRef is null
                ? $"{reason}, and group {_group.Name} is at max_se = {_group.MaxSe} service engines"
                : reason);
        }

        AddEntry(unit, target, primary: false);
        SetScale(unit, scale + 1);
        var name = UnitNames(unit);
        Emit(HaEventType.VsScaleoutDone, name, _ses[target].Name, $"{name} scaled out to {_ses[target].Name} ({scale + 1} service engines requested)");
        return Accept(r, $"scaled out to {_ses[target].Name}");
    }

    /// <summary>
    /// True when the group may still bring in another SE: fewer than <c>max_se</c> SEs in use, and fewer than <c>max_se</c>
    /// registered SEs counting against it (so one may join).
    /// </summary>
    private bool CanGrow(out int counting)
    {
        counting = 0;
        foreach (var se in _ses)
        {
            counting += CountsAgainstMaxSe(se, out _, out _) ? 1 : 0;
        }

        return _index.InUseCount < _group.MaxSe && counting < _group.MaxSe;
    }

    private RequestOutcome ScaleIn(ScaleInRequest r)
    {
        if (!TryFindPlacedUnit(r.VsRef, out var unit, out var reason))
        {
            return Refuse(r, HaEventType.VsScaleinFailed, r.VsRef, reason);
        }

        // Manual scaling moves between the group's minimum and maximum (D-SCALING): a VS above a lowered maximum may
        // still scale in (D-MINMAX); none goes below the minimum, or below one SE.
        var active = unit.ActiveCount;
        var scale = CurrentScale(unit);
        var min = MinScaleout();
        if (scale <= 1 || (active <= 1 && (r.FromSeRef is not null || active >= scale)))
        {
            return Refuse(r, HaEventType.VsScaleinFailed, r.VsRef, "a virtual service keeps at least one service engine");
        }

        if (scale <= min)
        {
            return Refuse(r, HaEventType.VsScaleinFailed, r.VsRef, $"at {scale} service engines, min_scaleout_per_vs = {min}{(_group.HaMode == HaMode.SharedPair && _group.MinScaleoutPerVs < 2 ? " (at least 2 in active/active)" : string.Empty)}");
        }

        var name = UnitNames(unit);
        if (r.FromSeRef is null && active < scale)
        {
            // Short of SEs (waiting for one): the request drops by one and no serving placement is taken away.
            SetScale(unit, scale - 1);
            Emit(HaEventType.VsScaleinDone, name, null, $"{name} scaled in to {scale - 1} service engines requested; it is on {active}, none is removed");
            return Accept(r, $"requested service engines lowered to {scale - 1}");
        }

        var index = -1;
        if (r.FromSeRef is { } from)
        {
            index = unit.Entries.FindIndex(e => !e.Deleting && string.Equals(_ses[e.Se].Name, from, StringComparison.Ordinal));
            if (index < 0)
            {
                return Refuse(r, HaEventType.VsScaleinFailed, r.VsRef, $"the virtual service is not active on {from}");
            }

            if (unit.Entries[index].IsPrimary && !r.ScaleinPrimary)
            {
                return Refuse(r, HaEventType.VsScaleinFailed, r.VsRef, $"{from} is the primary; set scalein_primary to remove it");
            }
        }
        else
        {
            for (var i = 0; i < unit.Entries.Count; i++)
            {
                var e = unit.Entries[i];
                if (e.Deleting || (e.IsPrimary && !r.ScaleinPrimary))
                {
                    continue;
                }

                if (index < 0 || (r.ScaleinPrimary ? e.IsPrimary : e.SecIdx > unit.Entries[index].SecIdx))
                {
                    index = i;
                }
            }
        }

        var removed = unit.Entries[index];
        var wasPrimary = removed.IsPrimary;
        removed.IsPrimary = false;
        removed.Deleting = true;
        removed.Deadline = _input.Now.AddSeconds(_group.VsScaleinTimeout);
        unit.Entries[index] = removed;
        if (wasPrimary)
        {
            RepairPrimary(unit);
        }

        SetScale(unit, scale - 1);
        var se = _ses[removed.Se].Name;
        Emit(HaEventType.VsScaleinStarted, name, se, $"{name} scaled in from {se}; it drains for {_group.VsScaleinTimeout} s");
        return Accept(r, $"scaled in from {se}");
    }

    private RequestOutcome Migrate(MigrateRequest r)
    {
        if (!TryFindPlacedUnit(r.VsRef, out var unit, out var reason))
        {
            return Refuse(r, HaEventType.VsMigrateFailed, r.VsRef, reason);
        }

        var index = r.FromSeRef is { } from
            ? unit.Entries.FindIndex(e => !e.Deleting && string.Equals(_ses[e.Se].Name, from, StringComparison.Ordinal))
            : unit.PrimaryIndex();
        if (index < 0)
        {
            return Refuse(r, HaEventType.VsMigrateFailed, r.VsRef, $"the virtual service is not active on {r.FromSeRef}");
        }

        if (!TryTarget(unit, r.ToSeRef, out var target, out reason))
        {
            return Refuse(r, HaEventType.VsMigrateFailed, r.VsRef, reason);
        }

        MoveEntry(unit, index, target, "requested");
        return Accept(r, $"migrating to {_ses[target].Name}");
    }
}
