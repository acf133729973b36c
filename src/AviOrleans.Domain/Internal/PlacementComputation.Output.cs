namespace AviOrleans.Domain.Internal;

/// <summary>
/// Building the result: a VS whose SE list, VIPs and state did not change keeps its previous placement object (and
/// epoch); everything else gets the new epoch. SE states, the legacy pair state and the group's HA status.
/// </summary>
internal sealed partial class PlacementComputation
{
    private Dictionary<string, SeRuntime>? _previousRuntimes;

    private PlacementResult BuildResult()
    {
        var newEpoch = (_previous?.Epoch ?? 0) + 1;
        var changed = _previous is null;
        var placements = new VsPlacement[_vss.Length];
        var unitSeLists = new EquatableArray<SeListEntry>[_units.Count];
        var unitVips = new EquatableArray<VipPlacement>[_units.Count];
        var unitSeListReused = new bool[_units.Count];
        for (var u = 0; u < _units.Count; u++)
        {
            var unit = _units[u];
            var prevList = unit.Previous?.SeList ?? default;
            if (EntriesMatch(unit, prevList))
            {
                unitSeLists[u] = prevList;
                unitSeListReused[u] = true;
            }
            else
            {
                unitSeLists[u] = BuildSeList(unit);
            }

            if (unitSeListReused[u] && unit.Previous is { } p && VipsMatch(p.Vip, unit.Vips))
            {
                unitVips[u] = p.Vip;
            }
            else
            {
                var list = unitSeLists[u];
                unitVips[u] = unit.Vips.Select(v => new VipPlacement
                {
                    VipId = v.VipId,
                    IpAddress = v.IpAddress,
                    Ip6Address = v.Ip6Address,
                    Enabled = v.Enabled,
                    SeList = list,
                }).ToEquatableArray();
            }
        }

        for (var m = 0; m < _vss.Length; m++)
        {
            var vs = _vss[m];
            var u = _memberUnit[m];
            var unit = _units[u];
            var before = _previousOf[m];
            var state = vs.Enabled ? unit.State : OperState.Disabled;
            var reason = vs.Enabled ? unit.Reason : "the virtual service is disabled";
            var placed = vs.Enabled && state == OperState.Up;
            var seList = placed ? unitSeLists[u] : default;
            var vips = placed
                ? unitVips[u]
                : unit.Vips.Select(v => new VipPlacement { VipId = v.VipId, IpAddress = v.IpAddress, Ip6Address = v.Ip6Address, Enabled = v.Enabled }).ToEquatableArray();
            var vsCompromised = placed && unit.HaCompromised;
            var requested = vs.Enabled ? (IsLegacy ? 1 : TargetCount(unit)) : 0;
            var assigned = placed ? unit.ActiveCount : 0;
            if (before is not null
                && before.OperState == state
                && string.Equals(before.Reason, reason, StringComparison.Ordinal)
                && before.HaCompromised == vsCompromised
                && before.ScaleoutFactor == unit.ScaleoutFactor
                && before.NumSeRequested == requested
                && before.NumSeAssigned == assigned
                && before.TrafficEnabled == vs.TrafficEnabled
                && string.Equals(before.VsvipRef, vs.VsvipRef, StringComparison.Ordinal)
                && before.SnatIp == vs.SnatIp
                && (placed ? before.Vip == vips : VipsMatch(before.Vip, unit.Vips) && before.SeList.IsEmpty))
            {
                placements[m] = before;
                continue;
            }

            changed = true;
            placements[m] = new VsPlacement
            {
                VsRef = vs.Name,
                VsvipRef = vs.VsvipRef,
                Vip = vips,
                SnatIp = vs.SnatIp,
                TrafficEnabled = vs.TrafficEnabled,
                OperState = state,
                Reason = reason,
                HaCompromised = vsCompromised,
                ScaleoutFactor = unit.ScaleoutFactor,
                NumSeRequested = requested,
                NumSeAssigned = assigned,
                Epoch = newEpoch,
            };
        }

        foreach (var before in _previousRemoved)
        {
            changed = true;
            if (!before.SeList.IsEmpty)
            {
                Emit(HaEventType.VsPlacementRemoved, before.VsRef, null, $"{before.VsRef} was deleted or left group {_group.Name}");
            }
        }

        var runtimes = BuildSeRuntimes();
        var legacy = BuildLegacyState();
        var (haCompromised, haReason, freeSlots) = GroupHaStatus();
        EmitGroupHaChange(haCompromised, haReason);
        var requirement = BuildSeRequirement(runtimes);
        var minScaleout = IsLegacy ? _group.MinScaleoutPerVs : MinScaleout();
        if (_previous is not null
            && (_previous.ServiceEngines != runtimes
                || _previous.Legacy != legacy
                || _previous.HaCompromised != haCompromised
                || !string.Equals(_previous.HaCompromisedReason, haReason, StringComparison.Ordinal)
                || _previous.FreeSlots != freeSlots
                || _previous.HaMode != _group.HaMode
                || _previous.LastAutoRebalanceAt != _lastAutoRebalanceAt
                || _previous.MinScaleoutPerVs != minScaleout
                || _previous.SeRequirement != requirement))
        {
            changed = true;
        }

        var placement = changed
            ? new GroupPlacement
            {
                SeGroupRef = _group.Name,
                HaMode = _group.HaMode,
                Epoch = newEpoch,
                ComputedAt = _input.Now,
                VirtualServices = placements,
                ServiceEngines = runtimes,
                Legacy = legacy,
                HaCompromised = haCompromised,
                HaCompromisedReason = haReason,
                FreeSlots = freeSlots,
                LastAutoRebalanceAt = _lastAutoRebalanceAt,
                MinScaleoutPerVs = minScaleout,
                SeRequirement = requirement,
            }
            : _previous!;
        return new PlacementResult(placement, [.. _events], [.. _outcomes]) { Changed = changed };
    }

    private static bool VipsMatch(EquatableArray<VipPlacement> placed, EquatableArray<Vip> config)
    {
        if (placed.Count != config.Count)
        {
            return false;
        }

        for (var i = 0; i < placed.Count; i++)
        {
            var p = placed[i];
            var c = config[i];
            if (!string.Equals(p.VipId, c.VipId, StringComparison.Ordinal)
                || !string.Equals(p.IpAddress, c.IpAddress, StringComparison.Ordinal)
                || !string.Equals(p.Ip6Address, c.Ip6Address, StringComparison.Ordinal)
                || p.Enabled != c.Enabled)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOrdered(List<EngineEntry> entries)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            if (CompareOutputOrder(entries[i - 1], entries[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareOutputOrder(EngineEntry a, EngineEntry b)
    {
        var ra = Rank(a);
        var rb = Rank(b);
        return ra != rb ? ra.CompareTo(rb) : a.SecIdx != b.SecIdx ? a.SecIdx.CompareTo(b.SecIdx) : a.Se.CompareTo(b.Se);

        static int Rank(EngineEntry e) => e.Deleting ? 3 : e.IsPrimary ? 0 : e.IsStandby ? 2 : 1;
    }

    private static List<EngineEntry> OrderedEntries(EngineUnit unit)
    {
        // Output order: the primary, active secondaries by sec_idx, the standby, then draining placements.
        var list = new List<EngineEntry>(unit.Entries);
        list.Sort(CompareOutputOrder);
        return list;
    }

    private bool EntriesMatch(EngineUnit unit, EquatableArray<SeListEntry> previous)
    {
        if (unit.State != OperState.Up || previous.Count != unit.Entries.Count)
        {
            return false;
        }

        var ordered = IsOrdered(unit.Entries) ? unit.Entries : OrderedEntries(unit);
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            var p = previous[i];
            if (!string.Equals(p.SeRef, _ses[e.Se].Name, StringComparison.Ordinal)
                || p.IsPrimary != e.IsPrimary
                || p.IsStandby != e.IsStandby
                || p.SecIdx != e.SecIdx
                || p.DeleteInProgress != e.Deleting
                || p.DrainDeadline != e.Deadline
                || p.Migrating != e.Migrating)
            {
                return false;
            }
        }

        return true;
    }

    private EquatableArray<SeListEntry> BuildSeList(EngineUnit unit)
    {
        if (unit.State != OperState.Up)
        {
            return default;
        }

        return OrderedEntries(unit).Select(e => new SeListEntry
        {
            SeRef = _ses[e.Se].Name,
            IsPrimary = e.IsPrimary,
            IsStandby = e.IsStandby,
            SecIdx = e.SecIdx,
            DeleteInProgress = e.Deleting,
            DrainDeadline = e.Deadline,
            Migrating = e.Migrating,
        }).ToEquatableArray();
    }

    private EquatableArray<SeRuntime> BuildSeRuntimes()
    {
        var hasActive = new bool[_ses.Length];
        var hasAny = new bool[_ses.Length];
        foreach (var unit in _units)
        {
            foreach (var e in unit.Entries)
            {
                hasAny[e.Se] = true;
                hasActive[e.Se] |= !e.Deleting;
            }
        }

        var result = new SeRuntime[_ses.Length];
        var buffers = BufferSes();
        for (var i = 0; i < _ses.Length; i++)
        {
            var se = _ses[i];
            var previous = PreviousRuntime(se.Name);
            var state = se.Config.OperState;
            if (se.Alive && !IsLegacy && se.Config.EnableState is SeEnableState.Disabled or SeEnableState.DisabledForce)
            {
                state = hasActive[i] ? OperState.ErrorDisabled : hasAny[i] ? OperState.Disabling : OperState.Disabled;
                if (hasActive[i] && !se.MigrationFailed)
                {
                    state = OperState.Disabling;
                }
            }

            var counts = CountsAgainstMaxSe(se, out var downSince, out var stopsCounting);
            result[i] = new SeRuntime
            {
                SeRef = se.Name,
                OperState = state,
                EnableState = se.Config.EnableState,
                Load = se.Load,
                Capacity = se.Capacity,
                IdleSince = hasAny[i] ? null : previous?.IdleSince ?? _input.Now,
                DatapathSuspected = se.Alive && se.Config.DatapathSuspected,
                DownSince = downSince,
                CountsAgainstMaxSe = counts,
                CountsAgainstMaxSeUntil = counts ? stopsCounting : null,
                IsBuffer = buffers[i],
                GatewayReachable = se.ReachesGateway,
                GatewayMonitors = SortedMonitors(se.Config.GatewayMonitors),
            };
            if (se.Alive)
            {
                EmitGatewayChanges(result[i], previous);
            }

            if (result[i].DatapathSuspected && previous is not { DatapathSuspected: true })
            {
                // A suspicion alone is not a failure (AS-53, §2.9): Avi confirms it with controller echoes first.
                Emit(HaEventType.SeDpHbFailed, null, se.Name, $"service engine {se.Name} misses its datapath heartbeats and is suspected; nothing moves until the suspicion is confirmed and it is reported down");
            }
            else if (se.Alive && !result[i].DatapathSuspected && previous is { DatapathSuspected: true })
            {
                Emit(HaEventType.SeDpHbRecovered, null, se.Name, $"service engine {se.Name} answers its datapath heartbeats again; the suspicion is cleared");
            }

            EmitMigrationEvents(se, state);
        }

        MarkDeprovisionDue(result);
        return result;
    }

    /// <summary>
    /// A dead SE stays a member of its group (it may come back) and counts against <c>max_se</c> until Avi would have
    /// deleted it (<see cref="ControllerProperties.GetDeadSeRetention"/> after it was first seen dead); every other SE counts.
    /// </summary>
    private bool CountsAgainstMaxSe(EngineSe se, out DateTimeOffset? downSince, out DateTimeOffset? until)
    {
        downSince = se.Dead ? PreviousRuntime(se.Name)?.DownSince ?? _input.Now : null;
        until = downSince + _input.ControllerProperties.GetDeadSeRetention();
        return until is not { } end || _input.Now < end;
    }

    private SeRuntime? PreviousRuntime(string seRef)
    {
        if (_previous is null)
        {
            return null;
        }

        if (_previousRuntimes is null)
        {
            _previousRuntimes = new Dictionary<string, SeRuntime>(StringComparer.Ordinal);
            foreach (var r in _previous.ServiceEngines)
            {
                _previousRuntimes.TryAdd(r.SeRef, r);
            }
        }

        return _previousRuntimes.GetValueOrDefault(seRef);
    }

    /// <summary>
    /// <c>se_deprovision_delay</c> (AS-33): an SE without any placement for that long is due for deletion. The engine
    /// cannot delete an SE (AviOrleans' SEs are the operator's), so it reports it, once, with <c>SE_DEPROVISION_DUE</c>.
    /// An idle SE the group still needs is not reported: the group keeps <c>min_se</c> SEs (a legacy group its pair)
    /// and, in N+M, the <c>buffer_se × max_vs_per_se</c> free slots. 0 = never. A dead SE past its retention
    /// (<see cref="ControllerProperties.GetDeadSeRetention"/>, when Avi deletes an offline SE) is always due.
    /// </summary>
    private void MarkDeprovisionDue(SeRuntime[] runtimes)
    {
        var remaining = _ses.Length;
        for (var i = 0; i < runtimes.Length; i++)
        {
            if (runtimes[i].CountsAgainstMaxSe)
            {
                continue;
            }

            remaining--;
            runtimes[i] = runtimes[i] with { DeprovisionDue = true };
            if (PreviousRuntime(runtimes[i].SeRef) is not { DeprovisionDue: true })
            {
                var name = runtimes[i].SeRef;
                var props = _input.ControllerProperties;
                Emit(HaEventType.SeDeprovisionDue, null, name,
                    $"service engine {name} has been dead since {runtimes[i].DownSince!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture)} (unresponsive_se_reboot + del_offline_se_after_reboot_delay = {props.UnresponsiveSeReboot} + {props.DelOfflineSeAfterRebootDelay} s, after which Avi deletes it): it no longer counts against max_se and a replacement may join; AviOrleans does not delete service engines, remove it from the group");
            }
        }

        if (_group.SeDeprovisionDelay <= 0)
        {
            return;
        }

        var delay = TimeSpan.FromMinutes(_group.SeDeprovisionDelay);
        var keep = IsLegacy ? Math.Max(2, _group.MinSe) : _group.MinSe;
        var free = 0;
        foreach (var se in _ses)
        {
            free += se.Eligible ? Math.Max(0, se.Free) : 0;
        }

        var buffer = _group.HaMode == HaMode.Shared ? _group.BufferSe * _group.SlotsPerSe : 0;
        for (var i = 0; i < runtimes.Length; i++)
        {
            var idleSince = runtimes[i].IdleSince;
            if (idleSince is null || runtimes[i].DeprovisionDue || _input.Now - idleSince.Value < delay)
            {
                continue;
            }

            var freeAfter = free - (_ses[i].Eligible ? Math.Max(0, _ses[i].Free) : 0);
            if (remaining - 1 < keep || freeAfter < buffer)
            {
                continue;
            }

            remaining--;
            free = freeAfter;
            runtimes[i] = runtimes[i] with { DeprovisionDue = true };
            if (PreviousRuntime(runtimes[i].SeRef) is not { DeprovisionDue: true })
            {
                var name = runtimes[i].SeRef;
                Emit(HaEventType.SeDeprovisionDue, null, name,
                    $"service engine {name} has had no placement since {idleSince.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture)} (se_deprovision_delay = {_group.SeDeprovisionDelay} min): due for deletion; AviOrleans does not delete service engines, remove it from the group");
            }
        }
    }

    private void EmitMigrationEvents(EngineSe se, OperState state)
    {
        var before = _previous?.ServiceEngines.FirstOrDefault(r => string.Equals(r.SeRef, se.Name, StringComparison.Ordinal))?.OperState;
        if (state == before)
        {
            return;
        }

        switch (state)
        {
            case OperState.Disabled when before is OperState.Disabling or OperState.ErrorDisabled || se.MigrationStarted:
                Emit(HaEventType.MigrateSeFinished, null, se.Name, $"every virtual service left disabled service engine {se.Name}");
                break;
            case OperState.ErrorDisabled:
                Emit(HaEventType.MigrateSeFailed, null, se.Name, $"at least one virtual service could not leave disabled service engine {se.Name}; it keeps serving there");
                break;
            default:
                break;
        }
    }

    private (bool Compromised, string? Reason, int FreeSlots) GroupHaStatus()
    {
        var free = (int)Math.Min(int.MaxValue, UsableCapacity().Free);
        var compromisedVs = _units.Where(u => u.Weight > 0 && (u.HaCompromised || u.State != OperState.Up)).Select(UnitName).ToList();
        string? reason = null;

        // HA protects virtual services: a group without an enabled one is not compromised by a short buffer or a missing
        // peer (Avi raises VS_SE_HA_COMPROMISED for VSs; it creates no SE for an empty group). SeRequirement agrees.
        var anyEnabled = _units.Any(u => u.Weight > 0);
        switch (_group.HaMode)
        {
            case HaMode.Shared when anyEnabled:
                var wanted = _group.BufferSe * _group.SlotsPerSe;
                if (free < wanted)
                {
                    reason = $"buffer short: {free} free slots, buffer_se × max_vs_per_se = {wanted}";
                }

                break;
            case HaMode.LegacyActiveStandby when anyEnabled:
                var alive = _ses.Count(s => s.Alive);
                if (alive < 2)
                {
                    reason = $"legacy pair has {alive} live service engine(s) of 2";
                }

                break;
            default:
                break;
        }

        if (compromisedVs.Count > 0)
        {
            var vsPart = $"{compromisedVs.Count} virtual service(s) without full HA (first: {compromisedVs[0]})";
            reason = reason is null ? vsPart : reason + "; " + vsPart;
        }

        return (reason is not null, reason, free);
    }

    private void EmitGroupHaChange(bool compromised, string? reason)
    {
        var before = _previous?.HaCompromised ?? false;
        if (compromised && !before)
        {
            Emit(HaEventType.VsSeHaCompromised, null, null, $"group {_group.Name}: {reason}");
        }
        else if (!compromised && before)
        {
            Emit(HaEventType.VsSeHaActive, null, null, $"group {_group.Name} has its full HA protection again");
        }
    }
}
