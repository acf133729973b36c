using System.Globalization;
using AviOrleans.Domain;

namespace AviOrleans.Bench.Domain;

/// <summary>Builds the measured scenarios: a placed group, then the change whose re-placement is timed.</summary>
internal static class Cases
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<BenchCase> All()
    {
        yield return Baseline();
        yield return SeFailure("N+M packed, 100 SEs x 10,000 VSs, 1 SE fails", HaMode.Shared, PlacementAlgo.Packed, 100, 10_000, 120);
        yield return SeFailure("N+M distributed, 100 SEs x 10,000 VSs, 1 SE fails", HaMode.Shared, PlacementAlgo.Distributed, 100, 10_000, 120);
        yield return SeFailure("A/A packed, 100 SEs x 10,000 VSs (x2), 1 SE fails", HaMode.SharedPair, PlacementAlgo.Packed, 100, 10_000, 250);
        yield return SeFailure("A/A distributed, 100 SEs x 10,000 VSs (x2), 1 SE fails", HaMode.SharedPair, PlacementAlgo.Distributed, 100, 10_000, 250, spareSes: 1);
        yield return SeFailure("Legacy distribute-load, 2 SEs x 1,000 VSs, 1 SE fails", HaMode.LegacyActiveStandby, PlacementAlgo.Packed, 2, 1_000, 1000);
        yield return Initial("Worst: initial placement, N+M packed, 100 SEs x 10,000 VSs", HaMode.Shared, 100, 10_000, 120);
        yield return Initial("Worst: initial placement, A/A distributed, 100 SEs x 10,000 VSs (x2)", HaMode.SharedPair, 100, 10_000, 250, PlacementAlgo.Distributed);
        yield return SeFailure("Worst: N+M packed, 100 SEs x 10,000 VSs, 50 SEs fail at once", HaMode.Shared, PlacementAlgo.Packed, 100, 10_000, 220, failures: 50);
        yield return SeFailure("Worst: A/A packed, 1,000 SEs x 50,000 VSs (x2), 1 SE fails", HaMode.SharedPair, PlacementAlgo.Packed, 1000, 50_000, 120, maxSe: 1000);
        yield return SeFailure("Worst: N+M packed, 1,000 SEs x 50,000 VSs, 100 SEs fail at once", HaMode.Shared, PlacementAlgo.Packed, 1000, 50_000, 120, failures: 100, maxSe: 1000);
    }

    private static BenchCase Baseline()
    {
        var (group, ses, vss) = Build(HaMode.Shared, PlacementAlgo.Packed, 100, 10_000, 120, 100);
        var placed = PlacementEngine.Compute(Input(group, ses, vss, null)).Placement;
        return new BenchCase("Baseline: nothing changed, 100 SEs x 10,000 VSs", Input(group, ses, vss, placed), "same input again: the fixed cost of a computation");
    }

    private static BenchCase SeFailure(string name, HaMode mode, PlacementAlgo algo, int seCount, int vsCount, int slots, int failures = 1, int spareSes = 0, int maxSe = 100)
    {
        var (group, ses, vss) = Build(mode, algo, seCount + spareSes, vsCount, slots, Math.Max(maxSe, seCount + spareSes));
        var placed = PlacementEngine.Compute(Input(group, ses, vss, null)).Placement;
        var failed = ses.Select((s, i) => i < failures ? s with { OperState = OperState.Down } : s).ToArray();
        var moved = placed.VirtualServices.Count(v => v.SeList.Any(e => failed.Take(failures).Any(f => f.Name == e.SeRef)));
        return new BenchCase(name, Input(group, failed, vss, placed), $"{moved} VSs had a placement on the failed SE(s)");
    }

    private static BenchCase Initial(string name, HaMode mode, int seCount, int vsCount, int slots, PlacementAlgo algo = PlacementAlgo.Packed)
    {
        var (group, ses, vss) = Build(mode, algo, seCount, vsCount, slots, 100);
        return new BenchCase(name, Input(group, ses, vss, null), "no previous placement: every VS is placed");
    }

    private static PlacementInput Input(ServiceEngineGroup group, ServiceEngine[] ses, VirtualService[] vss, GroupPlacement? previous) => new()
    {
        Group = group,
        ServiceEngines = ses,
        VirtualServices = vss,
        Previous = previous,
        Now = T0,
    };

    private static (ServiceEngineGroup Group, ServiceEngine[] Ses, VirtualService[] Vss) Build(HaMode mode, PlacementAlgo algo, int seCount, int vsCount, int slots, int maxSe)
    {
        var group = new ServiceEngineGroup
        {
            Name = "bench",
            HaMode = mode,
            Algo = algo,
            MaxVsPerSe = slots,
            MaxSe = mode == HaMode.LegacyActiveStandby ? 2 : maxSe,
            BufferSe = mode == HaMode.Shared ? 1 : 0,
            DistributeLoadActiveStandby = mode == HaMode.LegacyActiveStandby,
        };
        var ses = Enumerable.Range(0, seCount)
            .Select(i => new ServiceEngine { Name = string.Create(CultureInfo.InvariantCulture, $"se-{i:D4}"), SeGroupRef = "bench", HostRef = string.Create(CultureInfo.InvariantCulture, $"host-{i / 2}") })
            .ToArray();
        var vss = Enumerable.Range(0, vsCount)
            .Select(i => new VirtualService
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"vs-{i:D6}"),
                SeGroupRef = "bench",
                ActiveStandbySeTag = (ActiveStandbySeTag)(i % 2),
                Vip = [new Vip { VipId = "0", IpAddress = string.Create(CultureInfo.InvariantCulture, $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}") }],
            })
            .ToArray();
        return (group, ses, vss);
    }
}
