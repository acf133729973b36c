using System.Globalization;

namespace AviOrleans.Domain.Internal;

/// <summary>
/// Auto-rebalance (§2.6, AS-31, AS-32) from the load samples of the input. Elastic modes only. With
/// <c>auto_rebalance</c> off an SE beyond a threshold only raises an alert; on, the hottest SE above
/// <c>max_cpu_usage</c> gets one change per <c>auto_rebalance_interval</c>: the VS producing more than 70 % of its
/// PPS is scaled out, otherwise the heaviest VS that can go to a cooler SE is migrated. Below <c>min_cpu_usage</c>
/// only an alert is raised: AviOrleans does not consolidate (scale in) on low load.
/// </summary>
internal sealed partial class PlacementComputation
{
    /// <summary>Avi scales out a VS that produces more than this share of its SE's packets per second.</summary>
    private const double DominantPpsPercent = 70;

    private DateTimeOffset? _lastAutoRebalanceAt;

    private void AutoRebalance()
    {
        _lastAutoRebalanceAt = _previous?.LastAutoRebalanceAt;
        if (_input.LoadSamples.IsEmpty)
        {
            return;
        }

        var usage = new double[_ses.Length];
        var samples = new SeLoadSample?[_ses.Length];
        Array.Fill(usage, double.NaN);
        foreach (var sample in _input.LoadSamples)
        {
            if (_seIndex.TryGetValue(sample.SeRef, out var i) && _ses[i].Alive)
            {
                usage[i] = PeakUsage(sample);
                samples[i] = sample;
            }
        }

        var hot = new List<int>();
        for (var i = 0; i < _ses.Length; i++)
        {
            if (double.IsNaN(usage[i]))
            {
                continue;
            }

            if (usage[i] > _group.MaxCpuUsage)
            {
                hot.Add(i);
            }
            else if (usage[i] < _group.MinCpuUsage && _ses[i].Load > 0)
            {
                Alert(i, usage[i], $"below min_cpu_usage = {_group.MinCpuUsage} %; AviOrleans does not consolidate on low load, nothing moves");
            }
        }

        if (hot.Count == 0)
        {
            return;
        }

        // The hottest first (ties: name order, the SEs are in name order already).
        hot.Sort((a, b) => usage[b].CompareTo(usage[a]) is var c && c != 0 ? c : a.CompareTo(b));
        if (!_group.AutoRebalance)
        {
            foreach (var i in hot)
            {
                Alert(i, usage[i], $"above max_cpu_usage = {_group.MaxCpuUsage} %; auto_rebalance is off, nothing moves");
            }

            return;
        }

        var interval = TimeSpan.FromSeconds(_group.AutoRebalanceInterval);
        if (_lastAutoRebalanceAt is { } last && _input.Now - last < interval)
        {
            var next = (last + interval).ToString("O", CultureInfo.InvariantCulture);
            foreach (var i in hot)
            {
                Alert(i, usage[i], $"above max_cpu_usage = {_group.MaxCpuUsage} %; one auto-rebalance change per auto_rebalance_interval, the next at {next}");
            }

            return;
        }

        foreach (var i in hot)
        {
            if (RebalanceOne(i, samples[i]!, usage))
            {
                _lastAutoRebalanceAt = _input.Now;
                return;
            }

            Alert(i, usage[i], $"above max_cpu_usage = {_group.MaxCpuUsage} %; no VS on it can go to a cooler service engine with a free slot");
        }
    }

    /// <summary>Scales out the dominant VS of <paramref name="se"/>, or migrates its heaviest movable VS.</summary>
    private bool RebalanceOne(int se, SeLoadSample sample, double[] usage)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var share in sample.VsPpsShares)
        {
            shares[share.VsRef] = share.Percent;
        }

        // Units active on the SE, heaviest first (a shared VIP counts the shares of all its VSs; ties: unit order).
        var candidates = new List<(EngineUnit Unit, int Entry, double Share)>();
        foreach (var unit in _units)
        {
            var entry = unit.Entries.FindIndex(e => e.Se == se && !e.Deleting && !e.IsStandby);
            if (entry >= 0 && unit.Weight > 0)
            {
                candidates.Add((unit, entry, unit.Members.Sum(m => shares.GetValueOrDefault(_vss[m].Name))));
            }
        }

        candidates.Sort((a, b) => b.Share.CompareTo(a.Share));
        var seName = _ses[se].Name;
        var load = usage[se].ToString("0.#", CultureInfo.InvariantCulture);
        if (candidates.Count > 0 && candidates[0].Share > DominantPpsPercent && CurrentScale(candidates[0].Unit) < _group.MaxScaleoutPerVs)
        {
            var (unit, _, share) = candidates[0];
            var target = ChooseSe(unit, restrictToIdle: false);
            if (target >= 0 && !IsHot(target, usage))
            {
                var scale = CurrentScale(unit);
                AddEntry(unit, target, primary: false);
                SetScale(unit, scale + 1);
                var name = UnitNames(unit);
                Emit(HaEventType.RebalanceVsScaleout, name, _ses[target].Name,
                    $"auto-rebalance: {seName} at {load} % (max_cpu_usage = {_group.MaxCpuUsage} %) and {name} produces {share.ToString("0.#", CultureInfo.InvariantCulture)} % of its packets: scaled out to {_ses[target].Name}");
                return true;
            }
        }

        foreach (var (unit, entry, _) in candidates)
        {
            var target = ChooseSe(unit, restrictToIdle: false);
            if (target >= 0 && !IsHot(target, usage))
            {
                var name = UnitNames(unit);
                Emit(HaEventType.RebalanceVsMigrate, name, _ses[target].Name,
                    $"auto-rebalance: {seName} at {load} % (max_cpu_usage = {_group.MaxCpuUsage} %) and no virtual service produces most of its packets: {name} migrates to {_ses[target].Name}");
                MoveEntry(unit, entry, target, $"auto-rebalance: {seName} at {load} %, max_cpu_usage = {_group.MaxCpuUsage} %");
                return true;
            }
        }

        return false;
    }

    private bool IsHot(int se, double[] usage) => !double.IsNaN(usage[se]) && usage[se] > _group.MaxCpuUsage;

    /// <summary>The highest usage in percent over the configured criteria (CPU when none is configured).</summary>
    private double PeakUsage(SeLoadSample sample)
    {
        var criteria = _group.AutoRebalanceCriteria;
        if (criteria.IsEmpty)
        {
            return sample.CpuUsage;
        }

        var peak = 0.0;
        for (var c = 0; c < criteria.Count; c++)
        {
            var capacity = c < _group.AutoRebalanceCapacityPerSe.Count ? _group.AutoRebalanceCapacityPerSe[c] : 0;
            var value = criteria[c] switch
            {
                AutoRebalanceCriterion.Cpu => sample.CpuUsage,
                AutoRebalanceCriterion.Pps => Percent(sample.Pps, capacity),
                AutoRebalanceCriterion.Mbps => Percent(sample.Mbps, capacity),
                AutoRebalanceCriterion.OpenConns => Percent(sample.OpenConns, capacity),
                AutoRebalanceCriterion.Cps => Percent(sample.Cps, capacity),
                _ => 0,
            };
            peak = Math.Max(peak, value);
        }

        return peak;
    }

    // A criterion without a capacity cannot be judged (validation refuses it); it never makes an SE hot.
    private static double Percent(long value, long capacity) => capacity > 0 ? 100.0 * value / capacity : 0;

    private void Alert(int se, double usage, string what) =>
        Emit(HaEventType.SeAutoRebalanceAlert, null, _ses[se].Name, $"service engine {_ses[se].Name} at {usage.ToString("0.#", CultureInfo.InvariantCulture)} % is {what}");
}
