using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace AviOrleans.Domain.Tests;

/// <summary>
/// Property tests over random groups and random event sequences (SE failures, recoveries, joins, removals, enable
/// states, VS changes, requests, time), checking the invariants after every step.
/// </summary>
public sealed class PlacementPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(250).WithEndSize(80);

    private static void ForAllScenarios(Action<GroupScenario, ScenarioScript> body) =>
        Check.One(Runs, Prop.ForAll(ArbMap.Default.ArbFor<int[]>(), (int[] numbers) =>
        {
            var script = new ScenarioScript(numbers);
            body(script.BuildGroup(), script);
        }));

    /// <summary>Runs the initial placement and up to 12 random steps, calling <paramref name="check"/> after each.</summary>
    private static void ForAllSteps(Action<GroupScenario> check) =>
        ForAllScenarios((s, script) =>
        {
            s.Run();
            check(s);
            var steps = script.Next(13);
            for (var i = 0; i < steps; i++)
            {
                s.Run(script.Step(s));
                check(s);
            }
        });

    [Fact]
    public void Property_NoAddressEverHasTwoOwners() => ForAllSteps(s =>
    {
        var owners = new Dictionary<string, string>();
        foreach (var vs in s.Placement!.VirtualServices)
        {
            Assert.True(vs.SeList.Count(e => e.IsPrimary) <= 1, $"{vs.VsRef} has two primaries");
            var primary = vs.PrimarySeRef;
            if (primary is null || vs.OperState != OperState.Up || !vs.TrafficEnabled)
            {
                continue;
            }

            var addresses = vs.Vip.Where(v => v.Enabled).SelectMany(v => new[] { v.IpAddress, v.Ip6Address }).OfType<string>().Concat(vs.SnatIp);
            foreach (var address in addresses)
            {
                if (owners.TryGetValue(address, out var owner))
                {
                    Assert.Equal(owner, primary);
                }
                else
                {
                    owners.Add(address, primary);
                }
            }
        }

        if (s.Placement.Legacy is { } legacy)
        {
            Assert.True(legacy.FloatingIntfIpOwner is null || s.Ses.Any(se => se.Name == legacy.FloatingIntfIpOwner && se.OperState == OperState.Up));
            Assert.True(legacy.FloatingIntfIpSe2Owner is null || s.Ses.Any(se => se.Name == legacy.FloatingIntfIpSe2Owner && se.OperState == OperState.Up));
        }

        Assert.All(owners.Values, se => Assert.Contains(s.Ses, x => x.Name == se && x.OperState == OperState.Up));
    });

    [Fact]
    public void Property_NoSeAboveMaxVsPerSe() => ForAllSteps(s =>
    {
        var perSe = s.Placement!.VirtualServices
            .Where(v => v.OperState == OperState.Up)
            .SelectMany(v => v.SeList.Select(e => e.SeRef))
            .GroupBy(se => se)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perSe, kv => Assert.True(kv.Value <= s.Group.SlotsPerSe, $"{kv.Key} holds {kv.Value} > {s.Group.SlotsPerSe}"));
        Assert.All(s.Placement.ServiceEngines, r => Assert.Equal(perSe.GetValueOrDefault(r.SeRef), r.Load));
    });

    [Fact]
    public void Property_LegacyGroupsNeverExceedTwoSes() => ForAllSteps(s =>
    {
        if (s.Group.HaMode != HaMode.LegacyActiveStandby)
        {
            return;
        }

        var used = s.Placement!.VirtualServices.SelectMany(v => v.SeList.Select(e => e.SeRef)).Distinct().ToList();
        Assert.True(used.Count <= 2);
        Assert.True(s.Placement.ServiceEngines.Count <= 2);
        Assert.All(s.Placement.VirtualServices.Where(v => v.OperState == OperState.Up), v =>
        {
            Assert.Single(v.SeList, e => e.IsPrimary && !e.IsStandby);
            Assert.True(v.SeList.Count(e => e.IsStandby) <= 1);
            Assert.Equal(v.SeList.Count, v.SeList.Select(e => e.SeRef).Distinct().Count());
        });
    });

    [Fact]
    public void Property_EveryEnabledVsIsPlacedPerItsModeOrReportedWithAReason() => ForAllSteps(s =>
    {
        var g = s.Group;
        foreach (var vs in s.Vss)
        {
            var p = s.Vs(vs.Name);
            if (!vs.Enabled)
            {
                Assert.Equal(OperState.Disabled, p.OperState);
                Assert.True(p.SeList.IsEmpty);
                continue;
            }

            // Slots the VS's placement unit takes on an SE: one per enabled VS sharing its VIP set.
            var weight = vs.VsvipRef is null ? 1 : s.Vss.Count(x => x.VsvipRef == vs.VsvipRef && x.Enabled);
            var roomy = s.Placement!.ServiceEngines
                .Where(r => s.Ses.Any(se => se.Name == r.SeRef && se.OperState == OperState.Up && se.EnableState == SeEnableState.Enabled))
                .Where(r => r.Capacity - r.Load >= weight)
                .Select(r => r.SeRef)
                .ToList();
            if (p.OperState != OperState.Up)
            {
                Assert.Contains(p.OperState, new[] { OperState.Resources, OperState.Down });
                Assert.False(string.IsNullOrEmpty(p.Reason));
                Assert.True(p.SeList.IsEmpty);
                if (g.HaMode != HaMode.LegacyActiveStandby)
                {
                    // Unplaced only when no eligible SE has room: it is placed as soon as capacity appears.
                    Assert.True(roomy.Count == 0, $"{vs.Name} unplaced although {string.Join(",", roomy)} has room");
                }

                continue;
            }

            var active = p.SeList.Where(e => !e.DeleteInProgress && !e.IsStandby).ToList();
            Assert.Single(active, e => e.IsPrimary);
            Assert.All(active, e => Assert.Contains(s.Ses, se => se.Name == e.SeRef && se.OperState == OperState.Up));
            if (g.HaMode == HaMode.LegacyActiveStandby)
            {
                Assert.Single(active);
                Assert.True(p.SeList.Any(e => e.IsStandby) || (p.HaCompromised && p.Reason is not null));
                continue;
            }

            // D-MINMAX: the VS requests the group's minimum (at least 2 in active/active) + its user factor, which never
            // goes below 0; a lowered max_scaleout_per_vs does not cap an existing VS's request.
            var min = g.HaMode == HaMode.SharedPair ? Math.Max(2, g.MinScaleoutPerVs) : g.MinScaleoutPerVs;
            Assert.Equal(min, s.Placement!.MinScaleoutPerVs);
            Assert.True(p.ScaleoutFactor >= 0, $"{vs.Name}: factor {p.ScaleoutFactor}");
            var wanted = min + p.ScaleoutFactor;
            Assert.Equal(wanted, p.NumSeRequested);
            Assert.Equal(active.Count, p.NumSeAssigned);
            Assert.True(active.Count == wanted || (active.Count < wanted && p.HaCompromised && p.Reason is not null), $"{vs.Name}: {active.Count} of {wanted}");
            if (active.Count < wanted && g.Algo == PlacementAlgo.Packed)
            {
                // Packed placement never leaves a VS short while an eligible SE without it has room.
                Assert.True(roomy.All(se => p.SeList.Any(e => e.SeRef == se)), $"{vs.Name} short of SEs although {string.Join(",", roomy)} has room");
            }
        }
    });

    [Fact]
    public void Property_ScaleBoundChangesFollowDMinMax() => ForAllScenarios((s, script) =>
    {
        if (s.Group.HaMode == HaMode.LegacyActiveStandby)
        {
            return;
        }

        s.Run();
        var steps = script.Next(8);
        for (var i = 0; i < steps; i++)
        {
            s.Run(script.Step(s));
        }

        // From a settled placement (VSs leaving a disabled SE move as soon as there is room).
        for (var i = 0; i < 3 && s.Run().Changed; i++)
        {
        }

        var before = s.Placement!;
        var oldMin = before.MinScaleoutPerVs;
        script.ChangeScaleBounds(s);
        var result = s.Run();
        var newMin = s.Placement!.MinScaleoutPerVs;

        foreach (var old in before.VirtualServices.Where(v => v.OperState == OperState.Up))
        {
            var now = s.Vs(old.VsRef);

            // Lowering the minimum raises the factor by the difference (the scale is kept); raising it adds placements only
            // up to the new minimum; the maximum changes no existing VS's request.
            var expected = newMin > oldMin ? Math.Max(newMin, old.NumSeRequested) : old.NumSeRequested;
            Assert.Equal(expected, now.NumSeRequested);

            // No change of the bounds takes a serving placement away.
            Assert.All(old.SeList.Where(e => !e.DeleteInProgress), e => Assert.Contains(now.SeList, n => n.SeRef == e.SeRef && !n.DeleteInProgress));
        }

        Assert.DoesNotContain(result.Events, e => e.Type is HaEventType.VsScaleinStarted or HaEventType.VsPlacementRemoved or HaEventType.VsMigrateStarted);
    });

    [Fact]
    public void Property_SeRequirementExplainsEveryShortfall() => ForAllScenarios((s, script) =>
    {
        // Short controller timers, so that dead SEs also pass their retention within a scenario.
        s.ControllerProperties = new ControllerProperties { UnresponsiveSeReboot = script.Next(60), DelOfflineSeAfterRebootDelay = script.Next(60) };
        var retention = s.ControllerProperties.GetDeadSeRetention();
        var steps = 1 + script.Next(13);
        GroupPlacement? previous = null;
        for (var i = 0; i < steps; i++)
        {
            var result = s.Run(i == 0 ? [] : script.Step(s));
            var p = s.Placement!;
            var r = p.SeRequirement!;
            var g = s.Group;
            var legacy = g.HaMode == HaMode.LegacyActiveStandby;
            var anyEnabled = s.Vss.Any(v => v.Enabled);
            bool Has(SeNeedReason reason, string? vs = null) => r.Needs.Any(n => n.Reason == reason && (vs is null || n.VsRefs.Contains(vs)));

            // Every VS without its full HA is named by a need; a compromised group always says what it lacks.
            foreach (var vs in s.Vss.Where(v => v.Enabled))
            {
                var placed = s.Vs(vs.Name);
                if (placed.OperState != OperState.Up)
                {
                    Assert.True(Has(SeNeedReason.VsAwaitingPlacement, vs.Name), $"{vs.Name} unplaced without a need");
                    Assert.True(legacy || r.SesMissing >= 1);
                }
                else if (placed.HaCompromised && !legacy)
                {
                    Assert.True(Has(SeNeedReason.VsAwaitingMoreSes, vs.Name), $"{vs.Name} short without a need");
                }
            }

            Assert.True(p.HaCompromised == r.Needs.Any(n => n.Reason != SeNeedReason.DistributedSpread), $"{p.HaCompromisedReason} / {r}");
            Assert.Equal(g.HaMode == HaMode.Shared && p.FreeSlots < g.BufferSe * g.SlotsPerSe && anyEnabled, Has(SeNeedReason.BufferShort));
            Assert.Equal(legacy && s.Ses.Count(se => se.OperState == OperState.Up) < 2 && anyEnabled, Has(SeNeedReason.StandbyMissing));
            Assert.All(r.Needs, n => Assert.True(r.SesMissing >= n.Ses && !string.IsNullOrEmpty(n.Description)));
            Assert.True(r.SesMissing >= r.SesNeeded - r.SesUsable);
            Assert.True(anyEnabled || (r.SesNeeded == 0 && r.Needs.IsEmpty));

            // SE_NEEDED is raised exactly when the number of missing SEs grows.
            var grew = r.SesMissing > (previous?.SeRequirement?.SesMissing ?? 0);
            Assert.Equal(grew, result.Events.Any(e => e.Type == HaEventType.SeNeeded));

            // Buffer SEs are idle N+M SEs that take placements; dead SEs leave max_se only after their retention.
            foreach (var rt in p.ServiceEngines)
            {
                var se = s.Ses.Single(x => x.Name == rt.SeRef);
                if (rt.IsBuffer)
                {
                    Assert.True(g.HaMode == HaMode.Shared && rt.Load == 0 && se.OperState == OperState.Up && se.EnableState == SeEnableState.Enabled, rt.ToString());
                }

                if (!rt.CountsAgainstMaxSe)
                {
                    Assert.True(se.OperState is OperState.Down or OperState.Failed && s.Now >= rt.DownSince + retention, rt.ToString());
                    Assert.True(rt.DeprovisionDue);
                }

                Assert.Equal(se.ReachesGateways(), rt.GatewayReachable);
                Assert.Equal(se.GatewayMonitors.OrderBy(m => m.GatewayIp, StringComparer.Ordinal), rt.GatewayMonitors);
            }

            var counting = p.ServiceEngines.Count(rt => rt.CountsAgainstMaxSe);
            Assert.Equal(counting, r.SesCountingAgainstMaxSe);
            Assert.Equal(Math.Max(0, r.MaxSe - counting), r.SesAddable);
            previous = p;
        }
    });

    [Fact]
    public void Property_SeFailureMovesOnlyVssThatWereOnIt() => ForAllScenarios((s, script) =>
    {
        s.Run();
        var steps = script.Next(8);
        for (var i = 0; i < steps; i++)
        {
            s.Run(script.Step(s));
        }

        var alive = s.Ses.Where(se => se.OperState == OperState.Up).ToList();
        if (alive.Count == 0)
        {
            return;
        }

        var victim = alive[script.Next(alive.Count)].Name;
        var before = s.Placement!;
        s.Fail(victim);
        s.Run();

        foreach (var old in before.VirtualServices.Where(v => !v.SeList.IsEmpty && v.SeList.All(e => e.SeRef != victim)))
        {
            Assert.Equal(old.SeList, s.Vs(old.VsRef).SeList);
        }
    });

    [Fact]
    public void Property_AddingAnSeMovesNothingWithoutAPolicy() => ForAllScenarios((s, script) =>
    {
        s.Group = s.Group with { AutoRedistributeActiveStandbyLoad = false };
        s.Run();
        var steps = script.Next(8);
        for (var i = 0; i < steps; i++)
        {
            s.Run(script.Step(s));
        }

        if (s.Group.HaMode == HaMode.LegacyActiveStandby ? s.Ses.Count >= 2 : s.Ses.Count >= s.Group.MaxSe)
        {
            return;
        }

        var before = s.Placement!;
        s.Ses.Add(new ServiceEngine { Name = "se-new", SeGroupRef = s.Group.Name, HostRef = "host-new" });
        s.Run();

        // Policies that are waiting for an SE: a VS still to leave a disabled SE (no room before), and in legacy HA an
        // active SE cut from its gateway (AS-45) hands over to a peer that reaches it. Both may act on the new SE.
        var leaving = s.Ses
            .Where(se => se.EnableState == SeEnableState.Disabled || (s.Group.HaMode == HaMode.LegacyActiveStandby && !se.ReachesGateways()))
            .Select(se => se.Name)
            .ToHashSet();
        foreach (var old in before.VirtualServices.Where(v => !v.SeList.IsEmpty && !v.SeList.Any(e => leaving.Contains(e.SeRef))))
        {
            var now = s.Vs(old.VsRef).SeList;
            Assert.All(old.SeList.Where(e => !e.IsStandby), e => Assert.Contains(e, now));
            Assert.All(now.Where(e => !e.IsStandby && e.SeRef != "se-new"), e => Assert.Contains(e, old.SeList));
        }
    });

    /// <summary>Random load samples for every SE, with random per-VS PPS shares of the VSs placed on it.</summary>
    private static void AddRandomLoad(GroupScenario s, ScenarioScript script)
    {
        s.LoadSamples.Clear();
        foreach (var se in s.Ses)
        {
            var on = s.Placement!.VirtualServices.Where(v => v.SeList.Any(e => e.SeRef == se.Name)).Select(v => v.VsRef).ToList();
            s.LoadSamples.Add(new SeLoadSample
            {
                SeRef = se.Name,
                CpuUsage = script.Next(101),
                VsPpsShares = [.. on.Select(v => new VsPpsShare(v, script.Next(101)))],
            });
        }
    }

    [Fact]
    public void Property_LoadSamplesAndSuspicionsMoveNothingWithoutAPolicy() => ForAllScenarios((s, script) =>
    {
        s.Group = s.Group with { AutoRebalance = false };
        s.Run();
        var steps = script.Next(8);
        for (var i = 0; i < steps; i++)
        {
            s.Run(script.Step(s));
        }

        // From a settled placement (a legacy gateway switchover may follow one run after a VS was placed).
        for (var i = 0; i < 3 && s.Run().Changed; i++)
        {
        }

        var before = s.Placement!;
        AddRandomLoad(s, script);
        if (s.Ses.Count > 0)
        {
            var suspect = s.Ses[script.Next(s.Ses.Count)].Name;
            s.SetSe(suspect, se => se with { DatapathSuspected = true });
        }

        var result = s.Run();

        Assert.All(before.VirtualServices, old => Assert.Equal(old.SeList, s.Vs(old.VsRef).SeList));
        Assert.All(result.Events, e => Assert.True(e.Type is HaEventType.SeAutoRebalanceAlert or HaEventType.SeDpHbFailed or HaEventType.SeDpHbRecovered, e.ToString()));
    });

    [Fact]
    public void Property_AutoRebalanceMakesAtMostOneChangePerInterval() => ForAllScenarios((s, script) =>
    {
        s.Group = s.Group with { AutoRebalance = true, AutoRebalanceInterval = 300 };
        s.Run();
        var steps = script.Next(8);
        for (var i = 0; i < steps; i++)
        {
            s.Run(script.Step(s));
        }

        static int Changes(PlacementResult r) => r.Events.Count(e => e.Type is HaEventType.RebalanceVsScaleout or HaEventType.RebalanceVsMigrate);

        s.Run();
        s.Now = s.Now.AddSeconds(300);
        s.Run();
        AddRandomLoad(s, script);
        var first = s.Run();
        s.Now = s.Now.AddSeconds(1);
        AddRandomLoad(s, script);
        var second = s.Run();

        Assert.True(Changes(first) <= 1, string.Join("; ", first.Events));
        if (Changes(first) == 1)
        {
            Assert.Equal(0, Changes(second));
        }
    });

    [Fact]
    public void Property_PlacementIsADeterministicFunctionOfItsInputs() => ForAllScenarios((s, script) =>
    {
        s.Run();
        var steps = script.Next(8);
        PlacementRequest[] requests = [];
        for (var i = 0; i < steps; i++)
        {
            s.Run(requests);
            requests = script.Step(s);
        }

        var input = s.Input(requests);
        var shuffled = input with
        {
            ServiceEngines = [.. input.ServiceEngines.Reverse()],
            VirtualServices = [.. input.VirtualServices.Select((v, i) => (v, key: (i * 7919) % 101)).OrderBy(x => x.key).Select(x => x.v)],
        };

        var first = PlacementEngine.Compute(input);
        var second = PlacementEngine.Compute(input);
        var third = PlacementEngine.Compute(shuffled);

        Assert.Equal(first.Placement, second.Placement);
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.Placement, third.Placement);
        Assert.Equal(first.Events, third.Events);
    });
}
