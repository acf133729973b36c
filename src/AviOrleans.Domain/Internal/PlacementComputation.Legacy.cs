namespace AviOrleans.Domain.Internal;

/// <summary>
/// Legacy 1+1 active/standby (<c>HA_MODE_LEGACY_ACTIVE_STANDBY</c>, §2.4): one active and one standby per VS on a
/// pair of SEs, compacted on one SE or distributed by <c>active_standby_se_tag</c>; takeover of every address
/// by the survivor; failback only by request or with <c>auto_redistribute_active_standby_load</c>.
/// </summary>
internal sealed partial class PlacementComputation
{
    private int _role1 = -1;
    private int _role2 = -1;
    private int _owner1 = -1;
    private int _owner2 = -1;

    private void RunLegacy()
    {
        foreach (var se in _ses)
        {
            se.Load = 0;
        }

        AssignRoles();
        _owner1 = FloatingOwner(_previous?.Legacy?.FloatingIntfIpOwner, Preferred(_role1, _role2), "floating_intf_ip");
        _owner2 = FloatingOwner(
            _previous?.Legacy?.FloatingIntfIpSe2Owner,
            _group.DistributeLoadActiveStandby ? Preferred(_role2, _role1) : _owner1,
            "floating_intf_ip_se_2");

        var actives = new int[_units.Count];
        for (var u = 0; u < _units.Count; u++)
        {
            actives[u] = InitialActive(_units[u]);
        }

        ApplyGatewayMonitor(actives);
        foreach (var request in _input.Requests)
        {
            _outcomes.Add(ApplyLegacyRequest(request, actives));
        }

        if (_group.AutoRedistributeActiveStandbyLoad && _group.DistributeLoadActiveStandby)
        {
            Redistribute(actives, automatic: true);
        }

        PlaceLegacy(actives);
    }

    private bool IsAlive(int se) => se >= 0 && _ses[se].Alive;

    private int Preferred(int first, int second) => IsAlive(first) ? first : IsAlive(second) ? second : -1;

    /// <summary>The other SE of the pair if it is alive, else -1.</summary>
    private int LivePeer(int se)
    {
        foreach (var other in _ses)
        {
            if (other.Index != se && other.Alive)
            {
                return other.Index;
            }
        }

        return -1;
    }

    /// <summary>
    /// SE roles keep their holder while it is in the group, dead or alive (it may recover); a role whose SE left the
    /// group goes to the SE that has none — the replacement (AS-40: "the replacement SE" gets SE 2's VSs back).
    /// </summary>
    private void AssignRoles()
    {
        _role1 = _previous?.Legacy?.Se1Ref is { } r1 && _seIndex.TryGetValue(r1, out var i1) ? i1 : -1;
        _role2 = _previous?.Legacy?.Se2Ref is { } r2 && _seIndex.TryGetValue(r2, out var i2) && i2 != _role1 ? i2 : -1;
        foreach (var se in _ses)
        {
            if (se.Index == _role1 || se.Index == _role2)
            {
                continue;
            }

            if (_role1 < 0)
            {
                _role1 = se.Index;
            }
            else if (_role2 < 0)
            {
                _role2 = se.Index;
            }
        }
    }

    private int FloatingOwner(string? previousOwner, int initial, string list)
    {
        if (previousOwner is null)
        {
            return initial;
        }

        var index = _seIndex.TryGetValue(previousOwner, out var i) ? i : -1;
        if (IsAlive(index))
        {
            return index;
        }

        var survivor = LivePeer(index);
        if (survivor >= 0)
        {
            Emit(HaEventType.FloatingIpTakeover, null, _ses[survivor].Name, $"{_ses[survivor].Name} takes over {list} from {previousOwner}");
        }

        return survivor;
    }

    private int InitialActive(EngineUnit unit)
    {
        if (unit.Weight == 0)
        {
            return -1;
        }

        var previousActive = unit.Previous is { OperState: OperState.Up } p ? p.PrimarySeRef : null;
        if (previousActive is not null)
        {
            var index = _seIndex.TryGetValue(previousActive, out var i) ? i : -1;
            if (IsAlive(index))
            {
                return index;
            }

            var survivor = LivePeer(index);
            if (survivor >= 0)
            {
                var name = UnitNames(unit);
                Emit(HaEventType.VsSwitchover, name, _ses[survivor].Name, $"{name}: {_ses[survivor].Name} takes over from failed {previousActive} with its VIPs and SNAT IPs");
            }

            return survivor;
        }

        if (!_group.DistributeLoadActiveStandby)
        {
            return IsAlive(_owner1) ? _owner1 : Preferred(_role1, _role2);
        }

        return unit.Tag == ActiveStandbySeTag.ActiveStandbySe2 ? Preferred(_role2, _role1) : Preferred(_role1, _role2);
    }

    private void MoveActive(int[] actives, int unit, int to, HaEventType type, string why)
    {
        var from = actives[unit];
        if (from == to || from < 0)
        {
            return;
        }

        actives[unit] = to;
        var name = UnitNames(_units[unit]);
        Emit(type, name, _ses[to].Name, $"{name} switches from {_ses[from].Name} to {_ses[to].Name} ({why})");
    }

    private void MoveFloating(int from, int to, string why)
    {
        if (_owner1 == from)
        {
            _owner1 = to;
            Emit(HaEventType.FloatingIpTakeover, null, _ses[to].Name, $"floating_intf_ip moves from {_ses[from].Name} to {_ses[to].Name} ({why})");
        }

        if (_owner2 == from)
        {
            _owner2 = to;
            Emit(HaEventType.FloatingIpTakeover, null, _ses[to].Name, $"floating_intf_ip_se_2 moves from {_ses[from].Name} to {_ses[to].Name} ({why})");
        }
    }

    /// <summary>
    /// Gateway monitor (AS-45): an active SE that cannot reach the gateway while its peer can hands everything to the
    /// peer; when only the standby, or both, lose it, nothing changes; restoration does not move anything back.
    /// </summary>
    private void ApplyGatewayMonitor(int[] actives)
    {
        foreach (var se in _ses)
        {
            if (!se.Alive || se.ReachesGateway)
            {
                continue;
            }

            var peer = LivePeer(se.Index);
            if (peer < 0 || !_ses[peer].ReachesGateway)
            {
                continue;
            }

            var why = $"{se.Name} cannot reach its gateway, {_ses[peer].Name} can";
            for (var u = 0; u < actives.Length; u++)
            {
                if (actives[u] != se.Index)
                {
                    continue;
                }

                if (_units[u].Previous is { OperState: OperState.Up, PrimarySeRef: not null })
                {
                    MoveActive(actives, u, peer, HaEventType.VsSwitchover, why);
                }
                else
                {
                    // Not active anywhere yet (new, or waiting for a slot): it starts on the peer, no switchover to report.
                    actives[u] = peer;
                }
            }

            MoveFloating(se.Index, peer, why);
        }
    }

    private RequestOutcome ApplyLegacyRequest(PlacementRequest request, int[] actives)
    {
        switch (request)
        {
            case ScaleOutRequest r:
                return Refuse(r, HaEventType.VsScaleoutFailed, r.VsRef, "legacy HA has exactly one active placement per virtual service; scale-out is not supported");
            case ScaleInRequest r:
                return Refuse(r, HaEventType.VsScaleinFailed, r.VsRef, "legacy HA has exactly one active placement per virtual service; scale-in is not supported");
            case MigrateRequest r:
                return Refuse(r, HaEventType.VsMigrateFailed, r.VsRef, "virtual service migration is not supported in legacy HA; use switchover");
            case SeSwitchoverRequest r:
                {
                    if (!_seIndex.TryGetValue(r.SeRef, out var se))
                    {
                        return Refuse(r, HaEventType.VsSwitchoverFail, null, $"service engine {r.SeRef} is not in group {_group.Name}");
                    }

                    var peer = LivePeer(se);
                    if (peer < 0)
                    {
                        return Refuse(r, HaEventType.VsSwitchoverFail, null, $"service engine {r.SeRef} has no live peer to switch over to");
                    }

                    var moved = 0;
                    for (var u = 0; u < actives.Length; u++)
                    {
                        if (actives[u] == se)
                        {
                            MoveActive(actives, u, peer, HaEventType.VsSwitchover, "switchover requested");
                            moved++;
                        }
                    }

                    MoveFloating(se, peer, "switchover requested");
                    return Accept(r, $"{moved} virtual service(s) switched to {_ses[peer].Name}");
                }

            case VsSwitchoverRequest r:
                {
                    var u = UnitOf(r.VsRef);
                    if (u < 0)
                    {
                        return Refuse(r, HaEventType.VsSwitchoverFail, r.VsRef, $"virtual service {r.VsRef} is not in group {_group.Name}");
                    }

                    if (actives[u] < 0)
                    {
                        return Refuse(r, HaEventType.VsSwitchoverFail, r.VsRef, $"virtual service {r.VsRef} is not placed");
                    }

                    var peer = LivePeer(actives[u]);
                    if (peer < 0)
                    {
                        return Refuse(r, HaEventType.VsSwitchoverFail, r.VsRef, "the standby service engine is not up");
                    }

                    MoveActive(actives, u, peer, HaEventType.VsSwitchover, "switchover requested");
                    return Accept(r, $"switched to {_ses[peer].Name}");
                }

            case RedistributeRequest r:
                return Accept(r, $"{Redistribute(actives, automatic: false)} virtual service(s) moved");
            default:
                return Refuse(request, HaEventType.VsSwitchoverFail, null, $"unknown request {request.GetType().Name}");
        }
    }

    /// <summary>
    /// Failback. With distribute-load every VS goes back to the SE its tag names (if that SE is up and not cut from
    /// its gateway while the other reaches it), and each floating list to its side's SE. Compacted, a manual
    /// redistribute gathers every active on the SE that owns <c>floating_intf_ip</c>.
    /// </summary>
    private int Redistribute(int[] actives, bool automatic)
    {
        var why = automatic ? "auto_redistribute_active_standby_load" : "redistribute requested";
        var moved = 0;
        if (!_group.DistributeLoadActiveStandby)
        {
            var target = IsAlive(_owner1) ? _owner1 : -1;
            for (var u = 0; u < actives.Length && target >= 0; u++)
            {
                if (actives[u] >= 0 && actives[u] != target)
                {
                    MoveActive(actives, u, target, HaEventType.SeRedistribute, why);
                    moved++;
                }
            }

            return moved;
        }

        for (var u = 0; u < actives.Length; u++)
        {
            var desired = _units[u].Tag == ActiveStandbySeTag.ActiveStandbySe2 ? _role2 : _role1;
            if (actives[u] >= 0 && actives[u] != desired && CanFailBackTo(desired))
            {
                MoveActive(actives, u, desired, HaEventType.SeRedistribute, why);
                moved++;
            }
        }

        if (_owner1 != _role1 && CanFailBackTo(_role1) && _owner1 >= 0)
        {
            Emit(HaEventType.FloatingIpTakeover, null, _ses[_role1].Name, $"floating_intf_ip moves back to {_ses[_role1].Name} ({why})");
            _owner1 = _role1;
        }

        if (_owner2 != _role2 && CanFailBackTo(_role2) && _owner2 >= 0)
        {
            Emit(HaEventType.FloatingIpTakeover, null, _ses[_role2].Name, $"floating_intf_ip_se_2 moves back to {_ses[_role2].Name} ({why})");
            _owner2 = _role2;
        }

        return moved;
    }

    private bool CanFailBackTo(int se)
    {
        if (!IsAlive(se))
        {
            return false;
        }

        var peer = LivePeer(se);
        return _ses[se].ReachesGateway || peer < 0 || !_ses[peer].ReachesGateway;
    }

    /// <summary>
    /// Gives each VS its active and standby entries. Every VS takes a slot on both SEs, so the pair holds at most
    /// <c>max_vs_per_se</c> VSs (§2.4): VSs placed before keep their slots, new ones fill what is left in name order.
    /// </summary>
    private void PlaceLegacy(int[] actives)
    {
        var capacity = _group.SlotsPerSe;
        var used = 0;
        foreach (var pass in new[] { true, false })
        {
            for (var u = 0; u < _units.Count; u++)
            {
                var unit = _units[u];
                if (unit.HadEntries != pass)
                {
                    continue;
                }

                unit.Entries.Clear();
                var name = UnitNames(unit);
                if (unit.Weight == 0)
                {
                    unit.State = OperState.Disabled;
                    unit.Reason = "the virtual service is disabled";
                    continue;
                }

                var before = unit.Previous;
                if (actives[u] < 0)
                {
                    unit.State = OperState.Down;
                    unit.Reason = $"no service engine of pair {_group.Name} is up";
                    if (before is null || before.OperState != OperState.Down)
                    {
                        Emit(HaEventType.VsInitialPlacementFailed, name, null, $"{name} is down: {unit.Reason}");
                    }

                    continue;
                }

                if (used + unit.Weight > capacity)
                {
                    unit.State = OperState.Resources;
                    unit.Reason = $"the legacy pair is full (max_vs_per_se = {capacity})";
                    if (before is null || before.OperState != OperState.Resources)
                    {
                        Emit(HaEventType.VsInitialPlacementFailed, name, null, $"{name} cannot be placed: {unit.Reason}");
                    }

                    continue;
                }

                used += unit.Weight;
                unit.State = OperState.Up;
                unit.Entries.Add(new EngineEntry { Se = actives[u], IsPrimary = true, SecIdx = 0 });
                _ses[actives[u]].Load += unit.Weight;
                var standby = LivePeer(actives[u]);
                if (standby >= 0)
                {
                    unit.Entries.Add(new EngineEntry { Se = standby, IsStandby = true, SecIdx = 1 });
                    _ses[standby].Load += unit.Weight;
                }
                else
                {
                    unit.HaCompromised = true;
                    unit.Reason = "no standby: the peer service engine is not up";
                }

                if (before is null || before.OperState != OperState.Up)
                {
                    Emit(HaEventType.VsScaleoutDone, name, _ses[actives[u]].Name, $"{name} active on {_ses[actives[u]].Name}" + (standby >= 0 ? $", standby on {_ses[standby].Name}" : ", no standby"));
                }
                else if (unit.HaCompromised && !before.HaCompromised)
                {
                    Emit(HaEventType.VsSeHaCompromised, name, null, $"{name}: {unit.Reason}");
                }
                else if (!unit.HaCompromised && before.HaCompromised)
                {
                    Emit(HaEventType.VsSeHaActive, name, _ses[standby].Name, $"{name} has a standby on {_ses[standby].Name} again");
                }
            }
        }
    }

    private LegacyPairState? BuildLegacyState()
    {
        if (!IsLegacy)
        {
            return null;
        }

        string? Name(int i) => i >= 0 ? _ses[i].Name : null;
        return new LegacyPairState
        {
            Se1Ref = Name(_role1),
            Se2Ref = Name(_role2),
            FloatingIntfIpOwner = Name(_owner1),
            FloatingIntfIpSe2Owner = Name(_owner2),
            FloatingIntfIp = _group.FloatingIntfIp,
            FloatingIntfIpSe2 = _group.FloatingIntfIpSe2,
        };
    }
}
