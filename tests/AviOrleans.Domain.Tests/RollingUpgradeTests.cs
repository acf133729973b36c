using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class RollingUpgradeTests
{
    private const string Target = "31.1.1";

    /// <summary>
    /// Drives an upgrade to the end: asks the planner for a step, carries it out (an upgrade completes on the next
    /// round), re-runs the engine 31 s later (drains end), and calls <paramref name="check"/> after every round.
    /// </summary>
    private static List<UpgradeStep> Drive(GroupScenario s, Action<GroupScenario> check, SeUpgradeParams? options = null)
    {
        options ??= new SeUpgradeParams { TargetVersion = Target };
        var steps = new List<UpgradeStep>();
        for (var round = 0; round < 60; round++)
        {
            var step = RollingUpgradePlanner.NextStep(s.Group, s.Ses, s.Placement, options);
            steps.Add(step);
            PlacementRequest[] requests = [];
            switch (step.Kind)
            {
                case UpgradeStepKind.Done:
                case UpgradeStepKind.Suspended:
                    return steps;
                case UpgradeStepKind.Wait when s.Ses.Single(x => x.Name == step.SeRef).OperState == OperState.Upgrading:
                    s.SetSe(step.SeRef!, x => x with { OperState = OperState.Up, Version = Target });
                    break;
                case UpgradeStepKind.DisableForMigration:
                    s.SetSe(step.SeRef!, x => x with { EnableState = SeEnableState.Disabled, DisabledForUpgrade = true });
                    break;
                case UpgradeStepKind.StartUpgrade:
                    s.SetSe(step.SeRef!, x => x with { OperState = OperState.Upgrading });
                    break;
                case UpgradeStepKind.Enable:
                    // As the upgrade grain does: enabled with the mark, then the mark cleared.
                    s.SetSe(step.SeRef!, x => x with { EnableState = SeEnableState.Enabled });
                    s.Run();
                    check(s);
                    s.SetSe(step.SeRef!, x => x with { DisabledForUpgrade = false });
                    break;
                case UpgradeStepKind.SwitchoverSe:
                    requests = [new SeSwitchoverRequest { SeRef = step.SeRef! }];
                    break;
                default:
                    break;
            }

            s.Now = s.Now.AddSeconds(31);
            s.Run(requests);
            check(s);
            Assert.True(s.Ses.Count(x => x.OperState == OperState.Upgrading) <= 1);
        }

        throw new InvalidOperationException("the upgrade did not finish in 60 rounds");
    }

    private static void EveryVsServedByALiveSe(GroupScenario s)
    {
        var live = s.Ses.Where(x => x.OperState == OperState.Up).Select(x => x.Name).ToHashSet();
        Assert.All(s.Vss, vs =>
        {
            Assert.Equal(OperState.Up, s.Vs(vs.Name).OperState);
            Assert.Contains(s.Primary(vs.Name)!, live);
        });
    }

    [Fact]
    public void AS56_OneSeOfAGroupUpgradesAtATime()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(3);
        s.Run();
        s.SetSe("se-2", x => x with { OperState = OperState.Upgrading });

        var step = RollingUpgradePlanner.NextStep(s.Group, s.Ses, s.Placement, new SeUpgradeParams { TargetVersion = Target });

        Assert.Equal(UpgradeStepKind.Wait, step.Kind);
        Assert.Equal("se-2", step.SeRef);
    }

    [Fact]
    public void AS57_ActiveActiveUpgrade_EveryVsAlwaysServedAndVipOnALiveSe()
    {
        var s = GroupScenario.Create(HaMode.SharedPair).WithSes(4).WithVss(6);
        s.Run();

        var steps = Drive(s, EveryVsServedByALiveSe);

        Assert.Equal(UpgradeStepKind.Done, steps[^1].Kind);
        Assert.All(s.Ses, x => Assert.Equal(Target, x.Version));
        Assert.All(s.Ses, x => Assert.Equal(SeEnableState.Enabled, x.EnableState));
    }

    [Fact]
    public void AS58_NPlusMUpgrade_SinglePlacementVsMigratesFirstAndNeverLosesService()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(4);
        s.Run();
        s.Run(new ScaleOutRequest { VsRef = "vs-01" });

        var steps = Drive(s, EveryVsServedByALiveSe);

        Assert.Equal(UpgradeStepKind.Done, steps[^1].Kind);
        Assert.Contains(steps, x => x.Kind == UpgradeStepKind.DisableForMigration);
    }

    [Fact]
    public void NPlusMUpgrade_MovesAreReportedAsTheUpgrades_UpgradeSeVsMigrateNotVsMigrateStarted()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(4);
        s.Run();
        var events = new List<HaEvent>();

        Drive(s, x => events.AddRange(x.Last!.Events));

        var migrated = events.Where(e => e.Type == HaEventType.UpgradeSeVsMigrate).ToList();
        Assert.NotEmpty(migrated);
        Assert.All(migrated, e => Assert.Contains("about to be upgraded", e.Description, StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Type == HaEventType.VsMigrateStarted);
        Assert.Contains(events, e => e.Type == HaEventType.VsMigrateDone);
    }

    [Fact]
    public void LegacyUpgrade_StandbyRemovedWhileItsSeRestarts_IsUpgradeSeVsScalein()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby).WithSes(2).WithVss(2);
        s.Run();
        var events = new List<HaEvent>();

        Drive(s, x => events.AddRange(x.Last!.Events));

        Assert.Contains(events, e => e.Type == HaEventType.UpgradeSeVsScalein && e.SeRef == "se-2");
        Assert.DoesNotContain(events, e => e.Type == HaEventType.VsPlacementRemoved);
        Assert.Equal("UPGRADE_SE_VS_SCALEIN", HaEventType.UpgradeSeVsScalein.ToAviName());
        Assert.Equal("UPGRADE_SE_VS_MIGRATE", HaEventType.UpgradeSeVsMigrate.ToAviName());
    }

    [Fact]
    public void ActiveActiveUpgrade_PlacementsAddedDuringIt_AreUpgradeSeVsScaleout_NotVsScaleoutDone()
    {
        // Every VS on both SEs: an SE's restart scales its placements in, its return scales them out again.
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { MinScaleoutPerVs = 2, BufferSe = 0 }).WithSes(2).WithVss(2);
        s.Run();
        var events = new List<HaEvent>();

        var steps = Drive(s, x => events.AddRange(x.Last!.Events));

        Assert.Equal(UpgradeStepKind.Done, steps[^1].Kind);
        Assert.Contains(events, e => e.Type == HaEventType.UpgradeSeVsScalein);
        var scaledOut = events.Where(e => e.Type == HaEventType.UpgradeSeVsScaleout).ToList();
        Assert.Equal(["se-1", "se-1", "se-2", "se-2"], scaledOut.Select(e => e.SeRef).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(events, e => e.Type == HaEventType.VsScaleoutDone);
        Assert.Equal("UPGRADE_SE_VS_SCALEOUT", HaEventType.UpgradeSeVsScaleout.ToAviName());
        Assert.All(s.Vss, vs => Assert.Equal(2, s.Vs(vs.Name).SeList.Count(e => !e.DeleteInProgress)));
    }

    [Fact]
    public void DisabledByTheOperator_StillVsMigrateStarted()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(4);
        s.Run();
        var onSe1 = s.Vss.Count(v => s.Primary(v.Name) == "se-1");

        s.SetSe("se-1", x => x with { EnableState = SeEnableState.Disabled });
        var result = s.Run();

        Assert.Equal(onSe1, result.Events.Count(e => e.Type == HaEventType.VsMigrateStarted));
        Assert.DoesNotContain(result.Events, e => e.Type == HaEventType.UpgradeSeVsMigrate);
    }

    [Fact]
    public void AS59_LegacyUpgrade_StandbyFirstThenSwitchoverThenTheOther()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby).WithSes(2).WithVss(3);
        s.Run();
        Assert.All(s.Vss, vs => Assert.Equal("se-1", s.Primary(vs.Name)));

        var steps = Drive(s, EveryVsServedByALiveSe);

        var actions = steps.Where(x => x.Kind is UpgradeStepKind.StartUpgrade or UpgradeStepKind.SwitchoverSe).Select(x => (x.Kind, x.SeRef)).ToList();
        Assert.Equal([(UpgradeStepKind.StartUpgrade, "se-2"), (UpgradeStepKind.SwitchoverSe, "se-1"), (UpgradeStepKind.StartUpgrade, "se-1")], actions);
        Assert.All(s.Vss, vs => Assert.Equal("se-2", s.Primary(vs.Name)));
    }

    [Fact]
    public void AS60_Disruptive_UpgradesWithoutMovingVssFirst()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(2).WithVss(2);
        s.Run();

        var step = RollingUpgradePlanner.NextStep(s.Group, s.Ses, s.Placement, new SeUpgradeParams { TargetVersion = Target, Disruptive = true });

        Assert.Equal(UpgradeStepKind.StartUpgrade, step.Kind);
    }

    [Fact]
    public void AS60_SeFailsItsUpgrade_GroupIsSuspendedByDefaultOrContinues()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(2);
        s.Run();
        s.SetSe("se-1", x => x with { OperState = OperState.Failed });

        var suspended = RollingUpgradePlanner.NextStep(s.Group, s.Ses, s.Placement, new SeUpgradeParams { TargetVersion = Target });
        var continued = RollingUpgradePlanner.NextStep(s.Group, s.Ses, s.Placement, new SeUpgradeParams { TargetVersion = Target, ActionOnError = UpgradeActionOnError.ContinueUpgradeOpsOnError });

        Assert.Equal(UpgradeStepKind.Suspended, suspended.Kind);
        Assert.Equal("se-1", suspended.SeRef);
        Assert.NotEqual(UpgradeStepKind.Suspended, continued.Kind);
        Assert.NotEqual("se-1", continued.SeRef);
    }
}
