using AviOrleans.Domain;

namespace AviOrleans.Domain.Tests.Support;

/// <summary>
/// Builds a random group, SEs, VSs and a sequence of events from a list of integers (FsCheck generates and shrinks
/// the list; the same list always gives the same scenario).
/// </summary>
public sealed class ScenarioScript
{
    private readonly int[] _numbers;
    private int _next;
    private int _seNumber;
    private int _vsNumber;
    private ulong _state;

    public ScenarioScript(int[] numbers)
    {
        _numbers = numbers;

        // Past the generated numbers the script goes on with a fixed-seed LCG derived from them, so that small
        // arrays still give rich scenarios and the same array always gives the same scenario.
        _state = 1469598103934665603UL;
        foreach (var n in numbers)
        {
            _state = (_state ^ (uint)n) * 1099511628211UL;
        }
    }

    public int Next(int bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        int value;
        if (_next < _numbers.Length)
        {
            value = _numbers[_next];
        }
        else
        {
            _state = (_state * 6364136223846793005UL) + 1442695040888963407UL;
            value = (int)(_state >> 33);
        }

        _next++;
        return (int)((uint)value % (uint)bound);
    }

    public bool Chance(int oneIn) => Next(oneIn) == 0;

    public GroupScenario BuildGroup()
    {
        var mode = (HaMode)Next(3);
        var legacy = mode == HaMode.LegacyActiveStandby;
        var min = legacy ? 1 : 1 + Next(2);
        var group = new ServiceEngineGroup
        {
            Name = "g",
            HaMode = mode,
            Algo = (PlacementAlgo)Next(2),
            MaxVsPerSe = 1 + Next(6),
            BufferSe = Next(3),
            MinScaleoutPerVs = min,
            MaxScaleoutPerVs = Math.Max(mode == HaMode.SharedPair ? 2 : 1, min + Next(3)),
            MaxSe = 2 + Next(7),
            VsHostRedundancy = !Chance(3),
            DistributeLoadActiveStandby = Chance(2),
            AutoRedistributeActiveStandbyLoad = Chance(2),
            PerApp = Chance(5),
            FloatingIntfIp = legacy ? ["198.51.100.254"] : default,
            FloatingIntfIpSe2 = legacy ? ["198.51.100.253"] : default,
        };
        var s = new GroupScenario(group);
        var ses = legacy ? Next(3) : Next(Math.Min(group.MaxSe, 7) + 1);
        for (var i = 0; i < ses; i++)
        {
            AddSe(s);
        }

        var vss = Next(21);
        for (var i = 0; i < vss; i++)
        {
            AddVs(s);
        }

        return s;
    }

    public void AddSe(GroupScenario s)
    {
        _seNumber++;
        s.AddSe($"se-{_seNumber:D2}", $"host-{Next(3)}");
    }

    public void AddVs(GroupScenario s)
    {
        _vsNumber++;
        var name = $"vs-{_vsNumber:D2}";
        if (Chance(5))
        {
            var shared = $"shared-{Next(3)}";
            if (!s.VsVips.Any(v => v.Name == shared))
            {
                s.VsVips.Add(new VsVip { Name = shared, Vip = [new Vip { VipId = "0", IpAddress = $"203.0.113.{s.VsVips.Count + 1}" }] });
            }

            s.Vss.Add(new VirtualService { Name = name, SeGroupRef = s.Group.Name, VsvipRef = shared, Enabled = !Chance(6) });
            return;
        }

        s.AddVs(name, $"192.0.2.{_vsNumber}", v => v with
        {
            Enabled = !Chance(6),
            ActiveStandbySeTag = (ActiveStandbySeTag)Next(2),
            SnatIp = Chance(3) ? [$"198.51.100.{_vsNumber}"] : default,
            Vip = Chance(4) ? [.. v.Vip, new Vip { VipId = "1", Ip6Address = $"2001:db8::{_vsNumber:x}" }] : v.Vip,
        });
    }

    /// <summary>
    /// A runtime change of the group's <c>min_scaleout_per_vs</c> and/or <c>max_scaleout_per_vs</c> that validation accepts
    /// (1 ≤ min ≤ max ≤ 64, min ≤ max_se, max ≥ 2 in active/active); elastic groups only.
    /// </summary>
    public void ChangeScaleBounds(GroupScenario s)
    {
        var g = s.Group;
        var min = Chance(3) ? g.MinScaleoutPerVs : 1 + Next(Math.Min(4, g.MaxSe));
        var max = Chance(3) ? g.MaxScaleoutPerVs : 1 + Next(5);
        max = Math.Max(max, Math.Max(min, g.HaMode == HaMode.SharedPair ? 2 : 1));
        s.Group = g with { MinScaleoutPerVs = min, MaxScaleoutPerVs = max };
    }

    /// <summary>Applies one random event and returns the requests to run with it.</summary>
    public PlacementRequest[] Step(GroupScenario s)
    {
        var legacy = s.Group.HaMode == HaMode.LegacyActiveStandby;
        string? AnySe() => s.Ses.Count == 0 ? null : s.Ses[Next(s.Ses.Count)].Name;
        string? AnyVs() => s.Vss.Count == 0 ? null : s.Vss[Next(s.Vss.Count)].Name;
        switch (Next(12))
        {
            case 0 when AnySe() is { } se:
                s.Fail(se);
                break;
            case 1 when AnySe() is { } se:
                s.Recover(se);
                break;
            case 2 when s.Ses.Count < (legacy ? 2 : s.Group.MaxSe):
                AddSe(s);
                break;
            case 3 when AnySe() is { } se:
                s.Ses.RemoveAll(x => x.Name == se);
                break;
            case 4 when !legacy && AnySe() is { } se:
                s.SetSe(se, x => x with { EnableState = (SeEnableState)Next(4) });
                break;
            case 5 when AnyVs() is { } vs:
                s.SetVs(vs, x => x with { Enabled = !x.Enabled });
                break;
            case 6:
                AddVs(s);
                break;
            case 7 when AnyVs() is { } vs:
                return [Next(6) switch
                {
                    0 => new ScaleOutRequest { VsRef = vs, ToSeRef = Chance(2) ? AnySe() : null },
                    1 => new ScaleInRequest { VsRef = vs, ScaleinPrimary = Chance(2) },
                    2 => new MigrateRequest { VsRef = vs, ToSeRef = Chance(2) ? AnySe() : null },
                    3 => new VsSwitchoverRequest { VsRef = vs },
                    4 => new SeSwitchoverRequest { SeRef = AnySe() ?? "none" },
                    _ => new RedistributeRequest(),
                }];
            case 8:
                s.Now = s.Now.AddSeconds(Next(61));
                break;
            case 9 when AnySe() is { } se:
                if (Chance(2))
                {
                    s.SetSe(se, x => x with { GatewayReachable = !x.GatewayReachable });
                }
                else
                {
                    // One of two gateway monitors (next hops) flips; a monitor seen for the first time starts reachable or not.
                    var ip = Chance(2) ? "198.18.0.1" : "198.18.0.254";
                    s.SetSe(se, x => x with
                    {
                        GatewayMonitors = x.GatewayMonitors.Any(m => m.GatewayIp == ip)
                            ? [.. x.GatewayMonitors.Select(m => m.GatewayIp == ip ? m with { Reachable = !m.Reachable } : m)]
                            : [.. x.GatewayMonitors, new GatewayMonitorStatus { GatewayIp = ip, Reachable = Chance(2) }],
                    });
                }

                break;
            case 10 when s.Vss.Count > 0:
                s.Vss.RemoveAt(Next(s.Vss.Count));
                break;
            case 11 when !legacy:
                ChangeScaleBounds(s);
                break;
            default:
                break;
        }

        return [];
    }
}
