namespace AviOrleans.Domain.Internal;

/// <summary>
/// One run of the placement engine. Works on arrays indexed by SE (name order) and by unit (order of the
/// unit's first VS name), so that every decision is a deterministic function of the input: no hashing order,
/// no clock, no randomness. Split by concern: setup here, the modes, the requests and the output in the
/// other parts of this partial class.
/// </summary>
internal sealed partial class PlacementComputation
{
    private readonly PlacementInput _input;
    private readonly ServiceEngineGroup _group;
    private readonly GroupPlacement? _previous;
    private readonly List<HaEvent> _events = [];
    private readonly List<RequestOutcome> _outcomes = [];
    private readonly Dictionary<string, int> _seIndex = new(StringComparer.Ordinal);
    private Dictionary<string, int>? _unitOfVs;
    private VsPlacement?[] _previousOf = [];
    private List<VsPlacement> _previousRemoved = [];
    private EngineSe[] _ses = [];
    private VirtualService[] _vss = [];
    private int[] _memberUnit = [];
    private List<EngineUnit> _units = [];
    private SeLoadIndex _index = null!;

    public PlacementComputation(PlacementInput input)
    {
        _input = input;
        _group = input.Group;
        _previous = input.Previous is { } p && string.Equals(p.SeGroupRef, input.Group.Name, StringComparison.Ordinal) ? p : null;
    }

    private bool IsLegacy => _group.HaMode == HaMode.LegacyActiveStandby;

    public PlacementResult Run()
    {
        BuildServiceEngines();
        BuildUnits();
        if (IsLegacy)
        {
            RunLegacy();
        }
        else
        {
            RunElastic();
        }

        return BuildResult();
    }

    private void Emit(HaEventType type, string? vs, string? se, string description) => _events.Add(new HaEvent(type, vs, se, description));

    private string UnitName(EngineUnit unit) => _vss[unit.Members[0]].Name;

    private string UnitNames(EngineUnit unit) =>
        unit.Members.Count == 1 ? _vss[unit.Members[0]].Name : string.Join(",", unit.Members.Select(m => _vss[m].Name));

    private void BuildServiceEngines()
    {
        var configs = _input.ServiceEngines
            .Where(s => string.Equals(s.SeGroupRef, _group.Name, StringComparison.Ordinal))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        for (var i = 1; i < configs.Count; i++)
        {
            if (string.Equals(configs[i - 1].Name, configs[i].Name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Service engine name '{configs[i].Name}' is used twice.", nameof(_input));
            }
        }

        if (IsLegacy && configs.Count > 2)
        {
            // A legacy pair never has more than two SEs (validation refuses a third, AS-04). Should one slip through,
            // the engine keeps the two that already play a role, then the first by name, and ignores the rest.
            var roles = new[] { _previous?.Legacy?.Se1Ref, _previous?.Legacy?.Se2Ref };
            configs = [.. configs
                .OrderBy(s => roles.Contains(s.Name, StringComparer.Ordinal) ? 0 : 1)
                .ThenBy(s => s.Name, StringComparer.Ordinal)
                .Take(2)
                .OrderBy(s => s.Name, StringComparer.Ordinal)];
        }

        var hosts = new Dictionary<string, int>(StringComparer.Ordinal);
        var capacity = _group.SlotsPerSe;
        _ses = new EngineSe[configs.Count];
        for (var i = 0; i < configs.Count; i++)
        {
            var c = configs[i];
            int host;
            if (c.HostRef is null)
            {
                host = -1 - i;
            }
            else if (!hosts.TryGetValue(c.HostRef, out host))
            {
                host = hosts.Count;
                hosts.Add(c.HostRef, host);
            }

            var alive = c.OperState == OperState.Up;
            _ses[i] = new EngineSe
            {
                Config = c,
                Index = i,
                Host = host,
                Capacity = capacity,
                Alive = alive,
                CanHost = alive && (IsLegacy || c.EnableState != SeEnableState.DisabledForce),
                Eligible = alive && (IsLegacy || c.EnableState == SeEnableState.Enabled),
                ReachesGateway = c.ReachesGateways(),
                Dead = c.OperState is OperState.Down or OperState.Failed,
            };
            _seIndex.Add(c.Name, i);
        }

        EmitSeLivenessChanges();
    }

    private void EmitSeLivenessChanges()
    {
        if (_previous is null)
        {
            return;
        }

        foreach (var before in _previous.ServiceEngines)
        {
            var wasAlive = WasAlive(before.OperState);
            if (!_seIndex.TryGetValue(before.SeRef, out var i))
            {
                if (wasAlive)
                {
                    Emit(HaEventType.SeDown, null, before.SeRef, $"service engine {before.SeRef} left group {_group.Name}");
                }

                continue;
            }

            if (wasAlive && !_ses[i].Alive)
            {
                Emit(HaEventType.SeDown, null, before.SeRef, $"service engine {before.SeRef} is {_ses[i].Config.OperState.ToAviName()}");
            }
            else if (!wasAlive && _ses[i].Alive)
            {
                Emit(HaEventType.SeUp, null, before.SeRef, $"service engine {before.SeRef} is up again");
            }
        }

        foreach (var se in _ses)
        {
            if (se.Alive && !_previous.ServiceEngines.Any(r => string.Equals(r.SeRef, se.Name, StringComparison.Ordinal)))
            {
                Emit(HaEventType.SeUp, null, se.Name, $"service engine {se.Name} joined group {_group.Name}");
            }
        }
    }

    private static bool WasAlive(OperState state) =>
        state is OperState.Up or OperState.Disabling or OperState.Disabled or OperState.ErrorDisabled;

    private void BuildUnits()
    {
        var vsvips = new Dictionary<string, VsVip>(StringComparer.Ordinal);
        foreach (var v in _input.VsVips)
        {
            vsvips.TryAdd(v.Name, v);
        }

        _vss = [.. _input.VirtualServices.Where(v => string.Equals(v.SeGroupRef, _group.Name, StringComparison.Ordinal))];
        Array.Sort(_vss, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        _memberUnit = new int[_vss.Length];

        // Only shared VIPs need a lookup; a VS with its own VIPs is a unit of its own (no key string per VS).
        var unitByVsVip = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var m = 0; m < _vss.Length; m++)
        {
            var vs = _vss[m];
            if (m > 0 && string.Equals(_vss[m - 1].Name, vs.Name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Virtual service name '{vs.Name}' is used twice.", nameof(_input));
            }

            int u;
            if (vs.VsvipRef is { } shared && unitByVsVip.TryGetValue(shared, out var existing))
            {
                u = existing;
            }
            else
            {
                u = _units.Count;
                var vips = vs.VsvipRef is { } r ? (vsvips.TryGetValue(r, out var vsvip) ? vsvip.Vip : default) : vs.Vip;
                _units.Add(new EngineUnit { Key = vs.VsvipRef ?? vs.Name, Members = [], Vips = vips, Tag = vs.ActiveStandbySeTag });
                if (vs.VsvipRef is { } key)
                {
                    unitByVsVip.Add(key, u);
                }
            }

            _units[u].Members.Add(m);
            _memberUnit[m] = u;
        }

        MatchPrevious();
        var minChanged = !IsLegacy && _previous is { MinScaleoutPerVs: > 0 } p && p.MinScaleoutPerVs != MinScaleout();
        foreach (var unit in _units)
        {
            LoadPrevious(unit);
            if (!IsLegacy)
            {
                AdjustScaleoutFactor(unit, minChanged);
            }
        }
    }

    /// <summary>
    /// Pairs each VS with its previous placement by a merge of the two name-sorted lists (O(n), no hashing), and
    /// collects previous VSs that are gone. Falls back to a lookup if the previous list is not sorted.
    /// </summary>
    private void MatchPrevious()
    {
        _previousOf = new VsPlacement?[_vss.Length];
        if (_previous is null)
        {
            return;
        }

        var before = _previous.VirtualServices.AsImmutableArray();
        for (var k = 1; k < before.Length; k++)
        {
            if (string.CompareOrdinal(before[k - 1].VsRef, before[k].VsRef) >= 0)
            {
                var byName = new Dictionary<string, VsPlacement>(StringComparer.Ordinal);
                foreach (var p in before)
                {
                    byName.TryAdd(p.VsRef, p);
                }

                var present = new HashSet<string>(StringComparer.Ordinal);
                for (var m = 0; m < _vss.Length; m++)
                {
                    _previousOf[m] = byName.GetValueOrDefault(_vss[m].Name);
                    present.Add(_vss[m].Name);
                }

                _previousRemoved = [.. before.Where(p => !present.Contains(p.VsRef))];
                return;
            }
        }

        int i = 0, j = 0;
        while (j < before.Length)
        {
            var cmp = i < _vss.Length ? string.CompareOrdinal(_vss[i].Name, before[j].VsRef) : 1;
            if (cmp == 0)
            {
                _previousOf[i++] = before[j++];
            }
            else if (cmp < 0)
            {
                i++;
            }
            else
            {
                _previousRemoved.Add(before[j++]);
            }
        }
    }

    /// <summary>The unit of <paramref name="vsRef"/>, or -1 (a lookup built on first use: only requests need it).</summary>
    private int UnitOf(string vsRef)
    {
        if (_unitOfVs is null)
        {
            _unitOfVs = new Dictionary<string, int>(_vss.Length, StringComparer.Ordinal);
            for (var m = 0; m < _vss.Length; m++)
            {
                _unitOfVs.Add(_vss[m].Name, _memberUnit[m]);
            }
        }

        return _unitOfVs.TryGetValue(vsRef, out var u) ? u : -1;
    }

    /// <summary>
    /// Takes a unit's previous SE list, dropping placements on SEs that died, left the group or were
    /// force-disabled, and drains that have run out. Counts the load the surviving placements put on each SE.
    /// </summary>
    private void LoadPrevious(EngineUnit unit)
    {
        var weight = 0;
        var previousWeight = 0;
        VsPlacement? source = null;
        VsPlacement? enabledPrevious = null;
        foreach (var m in unit.Members)
        {
            var vs = _vss[m];
            if (vs.Enabled)
            {
                weight++;
            }

            var before = _previousOf[m];
            if (before is null)
            {
                continue;
            }

            if (!before.SeList.IsEmpty)
            {
                previousWeight++;
                source ??= before;
            }

            // The state to compare with is an enabled member's: a disabled member's "disabled" state would make an
            // unplaced shared VIP report its failure again on every run.
            if (vs.Enabled)
            {
                enabledPrevious ??= before;
            }

            unit.Previous ??= before;
        }

        if (enabledPrevious is not null)
        {
            unit.Previous = enabledPrevious;
        }

        unit.Weight = weight;
        unit.PreviousWeight = previousWeight;
        if (source is not null)
        {
            unit.Previous = source;
            unit.ScaleoutFactor = source.ScaleoutFactor;
        }
        else if (unit.Previous is not null)
        {
            unit.ScaleoutFactor = unit.Previous.ScaleoutFactor;
        }

        if (source is null)
        {
            return;
        }

        unit.HadEntries = true;
        var name = UnitNames(unit);
        foreach (var e in source.SeList)
        {
            if (!_seIndex.TryGetValue(e.SeRef, out var se))
            {
                Emit(HaEventType.VsPlacementRemoved, name, e.SeRef, $"{name} lost its placement on {e.SeRef}: the service engine left the group");
                unit.LostPlacement = true;
                continue;
            }

            if (!_ses[se].CanHost)
            {
                if (_ses[se].Config.OperState == OperState.Upgrading)
                {
                    Emit(HaEventType.UpgradeSeVsScalein, name, e.SeRef, $"{name} scaled in from {e.SeRef}: the service engine restarts for its upgrade");
                }
                else
                {
                    var why = _ses[se].Alive ? "was force-disabled" : $"is {_ses[se].Config.OperState.ToAviName()}";
                    Emit(HaEventType.VsPlacementRemoved, name, e.SeRef, $"{name} lost its placement on {e.SeRef}: the service engine {why}");
                }

                unit.LostPlacement = true;
                continue;
            }

            if (!IsLegacy && e.IsStandby)
            {
                // Left over from a legacy placement (ha_mode changed, which validation refuses while VSs are placed).
                Emit(HaEventType.VsPlacementRemoved, name, e.SeRef, $"{name} drops its standby on {e.SeRef}: {_group.HaMode.ToAviName()} has no standby");
                continue;
            }

            if (e.DeleteInProgress && (e.DrainDeadline is not { } deadline || deadline <= _input.Now))
            {
                Emit(
                    e.Migrating ? HaEventType.VsMigrateDone : HaEventType.VsScaleinDone,
                    name,
                    e.SeRef,
                    e.Migrating ? $"{name} finished migrating: it drained off {e.SeRef}" : $"{name} finished draining on {e.SeRef}");
                continue;
            }

            if (weight == 0)
            {
                Emit(HaEventType.VsPlacementRemoved, name, e.SeRef, $"{name} removed from {e.SeRef}: the virtual service is disabled");
                continue;
            }

            unit.Entries.Add(new EngineEntry
            {
                Se = se,
                IsPrimary = e.IsPrimary,
                IsStandby = e.IsStandby,
                SecIdx = e.SecIdx,
                Deleting = e.DeleteInProgress,
                Deadline = e.DrainDeadline,
                Migrating = e.Migrating,
            });
        }

        foreach (var e in unit.Entries)
        {
            _ses[e.Se].Load += unit.Weight;
        }
    }
}
