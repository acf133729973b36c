using System.Globalization;

namespace AviOrleans.Domain.Internal;

/// <summary>
/// What an Avi admin reads off the controller, computed with every placement: how many SEs the group needs and why
/// (<see cref="SeRequirement"/>), which idle SEs are its N+M buffer, and when to ask for an SE (<c>SE_NEEDED</c>):
/// where Avi, with write access, would create one, AviOrleans (whose SEs are the operator's) asks for it.
/// </summary>
internal sealed partial class PlacementComputation
{
    /// <summary>At most this many virtual services are named in one <see cref="SeNeed"/> (the description gives the count).</summary>
    private const int MaxListedVss = 64;

    /// <summary>
    /// N+M: the SEs without placements that the group keeps for its buffer. Packed: the idle SEs the N+M rule brought
    /// into use (N + M SEs, the buffer rule); idle SEs it did not bring in are spares Avi would not have created.
    /// Distributed: those and, in name order, as many other idle up-and-enabled SEs as the group may still bring in
    /// within <c>max_se</c> (every placement prefers an idle SE).
    /// </summary>
    private bool[] BufferSes()
    {
        var result = new bool[_ses.Length];
        if (_group.HaMode != HaMode.Shared)
        {
            return result;
        }

        var room = _group.Algo == PlacementAlgo.Distributed ? Math.Max(0, _group.MaxSe - _index.InUseCount) : 0;
        foreach (var se in _ses)
        {
            if (!se.Eligible || se.Load != 0)
            {
                continue;
            }

            if (se.InUse)
            {
                result[se.Index] = true;
            }
            else if (room > 0)
            {
                room--;
                result[se.Index] = true;
            }
        }

        return result;
    }

    /// <summary>
    /// The SEs that serve or may take placements, and their free slots: in legacy HA the live pair; in the elastic modes
    /// the SEs in use (up and enabled, or disabled for placement but still serving) and, while the group may still
    /// grow within <c>max_se</c>, as many idle up-and-enabled SEs as it may still bring in. An SE beyond <c>max_se</c> (a
    /// dead SE that came back after its replacement joined) is neither usable nor buffer.
    /// </summary>
    private (int Usable, long Free) UsableCapacity()
    {
        var usable = 0;
        var free = 0L;
        var room = IsLegacy ? int.MaxValue : Math.Max(0, _group.MaxSe - _index.InUseCount);
        foreach (var se in _ses)
        {
            if (IsLegacy || se.InUse)
            {
                if (se.Eligible || (!IsLegacy && se.Alive && se.Config.EnableState == SeEnableState.DisabledForPlacement && se.Load > 0))
                {
                    usable++;
                    free += se.Eligible ? Math.Max(0, se.Free) : 0;
                }
            }
            else if (se.Eligible && room > 0)
            {
                room--;
                usable++;
                free += Math.Max(0, se.Free);
            }
        }

        return (usable, free);
    }

    private SeRequirement BuildSeRequirement(EquatableArray<SeRuntime> runtimes)
    {
        var slots = Math.Max(1, _group.SlotsPerSe);
        long slotDemand = 0;
        long unitPlacements = 0;
        var most = 0;
        var anyEnabled = false;
        foreach (var unit in _units)
        {
            if (unit.Weight == 0)
            {
                continue;
            }

            anyEnabled = true;
            var wanted = IsLegacy ? 1 : TargetCount(unit);
            slotDemand += (long)unit.Weight * wanted;
            unitPlacements += wanted;
            most = Math.Max(most, wanted);
        }

        var needed = 0L;
        if (anyEnabled)
        {
            // N+M: N = ceil(placements / slots) + M (§2.2); active/active: no buffer (§2.3); every VS needs as many SEs as it
            // requests; distributed: a placement of its own per SE up to max_se (§2.5); legacy: the pair.
            needed = IsLegacy ? 2
                : Math.Max(((slotDemand + slots - 1) / slots) + (_group.HaMode == HaMode.Shared ? _group.BufferSe : 0), most);
            if (!IsLegacy && _group.Algo == PlacementAlgo.Distributed)
            {
                needed = Math.Max(needed, Math.Min(_group.MaxSe, unitPlacements));
            }
        }

        var (usable, free) = UsableCapacity();
        var alive = 0;
        foreach (var se in _ses)
        {
            alive += se.Alive ? 1 : 0;
        }

        var counting = 0;
        foreach (var r in runtimes)
        {
            counting += r.CountsAgainstMaxSe ? 1 : 0;
        }

        var maxSe = IsLegacy ? 2 : _group.MaxSe;
        var needs = anyEnabled ? CollectNeeds(slots, free, alive, usable, unitPlacements) : [];
        var missing = Math.Max(0, needed - usable);
        foreach (var need in needs)
        {
            missing = Math.Max(missing, need.Ses);
        }

        var requirement = new SeRequirement
        {
            SesNeeded = (int)Math.Min(needed, int.MaxValue),
            SesUsable = usable,
            SesMissing = (int)Math.Min(missing, int.MaxValue),
            SesCountingAgainstMaxSe = counting,
            MaxSe = maxSe,
            SesAddable = Math.Max(0, maxSe - counting),
            Needs = [.. needs],
        };
        if (requirement.SesMissing > (_previous?.SeRequirement?.SesMissing ?? 0))
        {
            var why = needs.Count == 0 ? $"{needed} needed, {usable} usable" : string.Join("; ", needs.Select(n => n.Description));
            var room = requirement.SesAddable < requirement.SesMissing
                ? $"; max_se = {maxSe} leaves room for {requirement.SesAddable} (raise max_se or remove a dead service engine)"
                : string.Empty;
            Emit(HaEventType.SeNeeded, null, null,
                $"group {_group.Name} needs {requirement.SesMissing} more service engine(s) ({requirement.SesNeeded} needed, {usable} usable): {why}{room}; Avi would create them, AviOrleans asks the operator to add them");
        }

        return requirement;
    }

    private List<SeNeed> CollectNeeds(int slots, long free, int alive, int usable, long unitPlacements)
    {
        var needs = new List<SeNeed>();
        if (_group.HaMode == HaMode.Shared)
        {
            var wanted = (long)_group.BufferSe * slots;
            if (free < wanted)
            {
                var ses = (int)((wanted - free + slots - 1) / slots);
                needs.Add(new SeNeed(SeNeedReason.BufferShort, ses, [],
                    $"buffer short: {free} free slots, buffer_se × max_vs_per_se = {_group.BufferSe} × {slots} = {wanted}: {ses} more service engine(s)"));
            }
        }

        if (IsLegacy && alive < 2)
        {
            var affected = Names(u => u.Weight > 0);
            needs.Add(new SeNeed(SeNeedReason.StandbyMissing, 2 - alive, affected.Listed,
                $"standby missing: legacy pair {_group.Name} has {alive} live service engine(s) of 2; {affected.Count} virtual service(s) run without a standby"));
        }

        var waiting = Names(u => u.Weight > 0 && u.State != OperState.Up);
        if (waiting.Count > 0)
        {
            long demand = 0;
            var most = 0;
            foreach (var unit in _units)
            {
                if (unit.Weight > 0 && unit.State != OperState.Up)
                {
                    var wanted = IsLegacy ? 1 : TargetCount(unit);
                    demand += (long)unit.Weight * wanted;
                    most = Math.Max(most, wanted);
                }
            }

            // A legacy pair's capacity is max_vs_per_se whatever its SEs: only a missing SE of the pair helps.
            var ses = IsLegacy ? Math.Max(0, 2 - alive) : (int)Math.Max(most, (demand + slots - 1) / slots);
            needs.Add(new SeNeed(SeNeedReason.VsAwaitingPlacement, ses, waiting.Listed,
                $"{waiting.Count} virtual service(s) waiting for a placement (first: {waiting.Listed[0]})" + (IsLegacy && ses == 0 ? $"; the legacy pair is full (max_vs_per_se = {slots}), a pair never has a third service engine" : string.Empty)));
        }

        if (!IsLegacy)
        {
            var shortOf = 0;
            foreach (var unit in _units)
            {
                if (unit.Weight > 0 && unit.State == OperState.Up && unit.HaCompromised)
                {
                    shortOf = Math.Max(shortOf, TargetCount(unit) - unit.ActiveCount);
                }
            }

            var awaiting = Names(u => u.Weight > 0 && u.State == OperState.Up && u.HaCompromised);
            if (awaiting.Count > 0)
            {
                needs.Add(new SeNeed(SeNeedReason.VsAwaitingMoreSes, shortOf, awaiting.Listed,
                    $"{awaiting.Count} virtual service(s) on fewer service engines than they request (first: {awaiting.Listed[0]}), up to {shortOf} short"));
            }

            if (_group.Algo == PlacementAlgo.Distributed)
            {
                var spread = Math.Min(_group.MaxSe, unitPlacements);
                if (spread > usable)
                {
                    var ses = (int)(spread - usable);
                    needs.Add(new SeNeed(SeNeedReason.DistributedSpread, ses, [],
                        $"{PlacementAlgo.Distributed.ToAviName()}: {unitPlacements} placement(s), each on a service engine of its own up to max_se = {_group.MaxSe}; {usable} usable: {ses} more"));
                }
            }
        }

        return needs;
    }

    /// <summary>The names of the enabled VSs of the units <paramref name="match"/> accepts: how many, and the first <see cref="MaxListedVss"/>.</summary>
    private (int Count, EquatableArray<string> Listed) Names(Func<EngineUnit, bool> match)
    {
        var count = 0;
        var listed = new List<string>();
        foreach (var unit in _units)
        {
            if (!match(unit))
            {
                continue;
            }

            foreach (var m in unit.Members)
            {
                if (!_vss[m].Enabled)
                {
                    continue;
                }

                count++;
                if (listed.Count < MaxListedVss)
                {
                    listed.Add(_vss[m].Name);
                }
            }
        }

        return (count, [.. listed]);
    }
}
