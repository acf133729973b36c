using AviOrleans.Domain;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

public sealed class InMemoryHaControlPlaneTests
{
    [Fact]
    public async Task CreateGroup_InvalidFields_ReportsEveryFieldAndChangesNothing()
    {
        await using var cp = new InMemoryHaControlPlane();
        var sequence = cp.Sequence;

        var ex = await Assert.ThrowsAsync<HaValidationException>(() =>
            cp.CreateServiceEngineGroupAsync(Group("g1") with { MaxVsPerSe = 0, MaxSe = 1001 }, false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "max_vs_per_se" && v.OtherObject is null);
        Assert.Contains(ex.Violations, v => v.Field == "max_se");
        Assert.Empty(await cp.ListServiceEngineGroupsAsync(Ct));
        Assert.Equal(sequence, cp.Sequence);
    }

    [Fact]
    public async Task CreateGroup_ValidateOnly_ChangesNothing()
    {
        await using var cp = new InMemoryHaControlPlane();

        await cp.CreateServiceEngineGroupAsync(Group("g1"), validateOnly: true, Ct);

        Assert.Empty(await cp.ListServiceEngineGroupsAsync(Ct));
    }

    [Fact]
    public async Task CreateGroup_NameTaken_ThrowsExists()
    {
        await using var cp = new InMemoryHaControlPlane();
        await cp.CreateServiceEngineGroupAsync(Group("g1"), false, Ct);

        var ex = await Assert.ThrowsAsync<HaObjectExistsException>(() => cp.CreateServiceEngineGroupAsync(Group("g1"), false, Ct));

        Assert.Equal("name", ex.Field);
    }

    [Fact]
    public async Task CreateVirtualService_AddressOfAnother_ThrowsExistsOnTheVipField()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);

        var ex = await Assert.ThrowsAsync<HaObjectExistsException>(() => cp.CreateVirtualServiceAsync(Vs("api", "pair", "192.0.2.10"), false, Ct));

        Assert.Equal("vip[0].ip_address", ex.Field);
        Assert.Single(await cp.ListVirtualServicesAsync(null, Ct));
    }

    [Fact]
    public async Task CreateVirtualService_UnknownGroup_IsAValidationErrorOnSeGroupRef()
    {
        await using var cp = new InMemoryHaControlPlane();

        var ex = await Assert.ThrowsAsync<HaValidationException>(() => cp.CreateVirtualServiceAsync(Vs("web", "nope", "192.0.2.10"), false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "se_group_ref");
    }

    [Fact]
    public async Task CreateVirtualService_LegacyPair_ActiveOnOneStandbyOnOther()
    {
        await using var cp = await LegacyPairAsync();

        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var view = await cp.GetVirtualServicePlacementAsync("web", Ct);

        Assert.Equal("pair", view.SeGroupRef);
        Assert.Equal(OperState.Up, view.Placement.OperState);
        Assert.Single(view.Placement.SeList, e => e.IsPrimary);
        Assert.Single(view.Placement.SeList, e => e.IsStandby);
        Assert.True(view.Placement.Epoch > 0);
    }

    [Fact]
    public async Task Switchover_LegacyVs_StandbyBecomesActiveAndEpochGrows()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var before = (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement;

        var result = await cp.RequestAsync("pair", new VsSwitchoverRequest { VsRef = "web" }, Ct);
        var after = (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement;

        Assert.NotEqual(before.PrimarySeRef, after.PrimarySeRef);
        Assert.True(after.Epoch > before.Epoch);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsSwitchover);
        Assert.Equal("web", Assert.Single(result.Changed).Placement.VsRef);
    }

    [Fact]
    public async Task Migrate_InLegacyGroup_IsRejectedAndChangesNothing()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var sequence = cp.Sequence;

        await Assert.ThrowsAsync<HaOperationRejectedException>(() => cp.RequestAsync("pair", new MigrateRequest { VsRef = "web" }, Ct));

        Assert.Equal(sequence, cp.Sequence);
    }

    [Fact]
    public async Task ReportDown_ActiveSe_SurvivorTakesOver()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var active = (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef!;

        var result = await cp.ReportServiceEngineStateAsync(active, OperState.Down, Ct);
        var after = (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement;

        Assert.NotNull(after.PrimarySeRef);
        Assert.NotEqual(active, after.PrimarySeRef);
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeDown);
    }

    [Fact]
    public async Task DeleteGroup_WithEngines_IsRejected()
    {
        await using var cp = await LegacyPairAsync();

        await Assert.ThrowsAsync<HaOperationRejectedException>(() => cp.DeleteServiceEngineGroupAsync("pair", Ct));
    }

    [Fact]
    public async Task Update_StaleExpected_ThrowsConflict()
    {
        await using var cp = new InMemoryHaControlPlane();
        var original = await cp.CreateServiceEngineGroupAsync(Group("g1"), false, Ct);
        await cp.UpdateServiceEngineGroupAsync(original, original with { MaxVsPerSe = 5 }, false, Ct);

        await Assert.ThrowsAsync<HaConflictException>(() => cp.UpdateServiceEngineGroupAsync(original, original with { MaxVsPerSe = 6 }, false, Ct));

        Assert.Equal(5, (await cp.GetServiceEngineGroupAsync("g1", Ct)).MaxVsPerSe);
    }

    [Fact]
    public async Task Update_MoveEnabledVsToAnotherGroup_IsRejected()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateServiceEngineGroupAsync(Group("other"), false, Ct);
        var vs = await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);

        var ex = await Assert.ThrowsAsync<HaOperationRejectedException>(() => cp.UpdateVirtualServiceAsync(vs, vs with { SeGroupRef = "other" }, false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "se_group_ref");
    }

    [Fact]
    public async Task ScaleIn_DrainEndsWhenTimeReachesTheDeadline()
    {
        var time = new FakeTimeProvider(Start);
        await using var cp = new InMemoryHaControlPlane(time);
        await cp.CreateServiceEngineGroupAsync(Group("aa") with { BufferSe = 0, VsScaleinTimeout = 30 }, false, Ct);
        foreach (var se in new[] { "se-1", "se-2" })
        {
            await cp.CreateServiceEngineAsync(Engine(se, "aa"), false, Ct);
        }

        await cp.CreateVirtualServiceAsync(Vs("web", "aa", "192.0.2.10"), false, Ct);
        await cp.RequestAsync("aa", new ScaleOutRequest { VsRef = "web" }, Ct);
        Assert.Equal(2, (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.SeList.Count);

        await cp.RequestAsync("aa", new ScaleInRequest { VsRef = "web" }, Ct);
        Assert.Contains((await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.SeList, e => e.DeleteInProgress);
        time.Advance(TimeSpan.FromSeconds(31));
        await WaitUntilAsync(async () => (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.SeList.Count == 1);
    }

    [Fact]
    public async Task Upgrade_LegacyPair_EverySeUpgradedAndVsNeverUnplaced()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var reports = new List<UpgradeReport>();
        var unplaced = false;

        await foreach (var report in cp.UpgradeServiceEngineGroupAsync("pair", new SeUpgradeParams { TargetVersion = "31.1.1" }, Ct))
        {
            reports.Add(report);
            unplaced |= (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef is null;
        }

        Assert.Equal(UpgradeReportKind.Started, reports[0].Kind);
        Assert.Equal(UpgradeReportKind.Completed, reports[^1].Kind);
        Assert.Equal(2, reports.Count(r => r.Kind == UpgradeReportKind.SeDone));
        Assert.Contains(reports, r => r.Kind == UpgradeReportKind.Preparing);
        Assert.False(unplaced);
        Assert.All(await cp.ListServiceEnginesAsync("pair", Ct), se => Assert.Equal("31.1.1", se.Version));
    }

    [Fact]
    public async Task Upgrade_NPlusM_MigratesBeforeEachSeAndReenablesIt()
    {
        await using var cp = new InMemoryHaControlPlane();
        await cp.CreateServiceEngineGroupAsync(Group("nm") with { BufferSe = 0, VsScaleinTimeout = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-1", "nm"), false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-2", "nm"), false, Ct);
        await cp.CreateVirtualServiceAsync(Vs("web", "nm", "192.0.2.10"), false, Ct);
        var downs = 0;

        var reports = new List<UpgradeReport>();
        await foreach (var report in cp.UpgradeServiceEngineGroupAsync("nm", new SeUpgradeParams { TargetVersion = "2" }, Ct))
        {
            reports.Add(report);
            downs += (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef is null ? 1 : 0;
        }

        Assert.True(reports[^1].Kind == UpgradeReportKind.Completed, string.Join("\n", reports));
        Assert.Equal(0, downs);
        Assert.All(await cp.ListServiceEnginesAsync("nm", Ct), se =>
        {
            Assert.Equal("2", se.Version);
            Assert.Equal(SeEnableState.Enabled, se.EnableState);
            Assert.Equal(OperState.Up, se.OperState);
        });
    }

    [Fact]
    public async Task Upgrade_NPlusMSingleSe_CompletesWithTheDocumentedOutage()
    {
        await using var cp = new InMemoryHaControlPlane();
        await cp.CreateServiceEngineGroupAsync(Group("nm") with { MaxVsPerSe = 1, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-1", "nm"), false, Ct);
        await cp.CreateVirtualServiceAsync(Vs("web", "nm", "192.0.2.10"), false, Ct);

        var reports = new List<UpgradeReport>();
        await foreach (var report in cp.UpgradeServiceEngineGroupAsync("nm", new SeUpgradeParams { TargetVersion = "2" }, Ct))
        {
            reports.Add(report);
        }

        Assert.Equal(UpgradeReportKind.Completed, reports[^1].Kind);
        Assert.Equal("2", (await cp.GetServiceEngineAsync("se-1", Ct)).Version);
        Assert.Equal("se-1", (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef);
    }

    [Fact]
    public async Task Upgrade_SecondAtTheSameTime_IsRejected()
    {
        await using var cp = await LegacyPairAsync();
        await using var first = cp.UpgradeServiceEngineGroupAsync("pair", new SeUpgradeParams { TargetVersion = "2" }, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await first.MoveNextAsync());

        await Assert.ThrowsAsync<HaOperationRejectedException>(async () =>
        {
            await foreach (var report in cp.UpgradeServiceEngineGroupAsync("pair", new SeUpgradeParams { TargetVersion = "2" }, Ct))
            {
                Assert.Fail("a second upgrade must not start, got " + report);
            }
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
