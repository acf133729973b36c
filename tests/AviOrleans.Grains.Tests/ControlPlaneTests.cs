using AviOrleans.Domain;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

/// <summary>The grain-backed control plane on two silos: validation, cross-object rules, decisions, operations.</summary>
[Collection(SharedCluster.Name)]
public sealed class ControlPlaneTests(ClusterFixture fixture)
{
    private readonly GrainHaControlPlane _cp = fixture.ControlPlane;
    private readonly Build _b = new();

    [Fact]
    public async Task CreateGroup_InvalidFields_ReportsEveryFieldAndChangesNothing()
    {
        var ex = await Assert.ThrowsAsync<HaValidationException>(() =>
            _cp.CreateServiceEngineGroupAsync(_b.Group("g1") with { MaxVsPerSe = 0, MaxSe = 1001 }, false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "max_vs_per_se" && v.OtherObject is null);
        Assert.Contains(ex.Violations, v => v.Field == "max_se");
        Assert.DoesNotContain(await _cp.ListServiceEngineGroupsAsync(Ct), g => g.Name == _b.N("g1"));
        await Assert.ThrowsAsync<HaObjectNotFoundException>(() => _cp.GetServiceEngineGroupAsync(_b.N("g1"), Ct));
    }

    [Fact]
    public async Task CreateGroup_ValidateOnly_ChangesNothing()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("g1"), validateOnly: true, Ct);

        await Assert.ThrowsAsync<HaObjectNotFoundException>(() => _cp.GetServiceEngineGroupAsync(_b.N("g1"), Ct));
    }

    [Fact]
    public async Task CreateGroup_NameTaken_ThrowsExistsAndKeepsTheGroupListed()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("g1"), false, Ct);

        var ex = await Assert.ThrowsAsync<HaObjectExistsException>(() => _cp.CreateServiceEngineGroupAsync(_b.Group("g1"), false, Ct));

        Assert.Equal("name", ex.Field);
        Assert.Contains(await _cp.ListServiceEngineGroupsAsync(Ct), g => g.Name == _b.N("g1"));
    }

    [Fact]
    public async Task CreateServiceEngine_NameOfAnotherGroupsSe_ThrowsExists()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("g1"), false, Ct);
        await _cp.CreateServiceEngineGroupAsync(_b.Group("g2"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-1", "g1"), false, Ct);

        await Assert.ThrowsAsync<HaObjectExistsException>(() => _cp.CreateServiceEngineAsync(_b.Engine("se-1", "g2"), false, Ct));

        Assert.Empty(await _cp.ListServiceEnginesAsync(_b.N("g2"), Ct));
        Assert.Equal(_b.N("g1"), (await _cp.GetServiceEngineAsync(_b.N("se-1"), Ct)).SeGroupRef);
    }

    [Fact]
    public async Task CreateVirtualService_AddressOfAnotherInAnotherGroup_ThrowsExistsOnTheVipFieldAndChangesNothing()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateServiceEngineGroupAsync(_b.Group("other"), false, Ct);
        var address = Ip();
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair", address), false, Ct);

        var ex = await Assert.ThrowsAsync<HaObjectExistsException>(() => _cp.CreateVirtualServiceAsync(_b.Vs("api", "other", address), false, Ct));

        Assert.Equal("vip[0].ip_address", ex.Field);
        Assert.Contains(_b.N("web"), ex.Message, StringComparison.Ordinal);
        Assert.Empty(await _cp.ListVirtualServicesAsync(_b.N("other"), Ct));
        await Assert.ThrowsAsync<HaObjectNotFoundException>(() => _cp.GetVirtualServiceAsync(_b.N("api"), Ct));
    }

    [Fact]
    public async Task CreateVirtualService_AddressFreedByADelete_CanBeUsedAgain()
    {
        await _b.LegacyPairAsync(_cp);
        var address = Ip();
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair", address), false, Ct);
        await _cp.DeleteVirtualServiceAsync(_b.N("web"), Ct);

        await _cp.CreateVirtualServiceAsync(_b.Vs("api", "pair", address), false, Ct);

        Assert.Equal(_b.N("api"), Assert.Single(await _cp.ListVirtualServicesAsync(_b.N("pair"), Ct)).Name);
    }

    [Fact]
    public async Task CreateVirtualService_UnknownGroupAndBadAddress_ReportsBoth()
    {
        var ex = await Assert.ThrowsAsync<HaValidationException>(() => _cp.CreateVirtualServiceAsync(_b.Vs("web", "nope", "300.1.2.3"), false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "se_group_ref");
        Assert.Contains(ex.Violations, v => v.Field == "vip[0].ip_address");
    }

    [Fact]
    public async Task CreateVirtualService_SameNameTwice_ThrowsExists()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);

        var ex = await Assert.ThrowsAsync<HaObjectExistsException>(() => _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct));

        Assert.Equal("name", ex.Field);
    }

    [Fact]
    public async Task CreateVirtualService_LegacyPair_ActiveOnOneStandbyOnOther()
    {
        await _b.LegacyPairAsync(_cp);

        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var view = await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct);

        Assert.Equal(_b.N("pair"), view.SeGroupRef);
        Assert.Equal(OperState.Up, view.Placement.OperState);
        Assert.Single(view.Placement.SeList, e => e.IsPrimary);
        Assert.Single(view.Placement.SeList, e => e.IsStandby);
        Assert.True(view.Placement.Epoch > 0);
    }

    [Fact]
    public async Task CreateVirtualService_ManyAtOnce_AllPlacedWithDistinctDecisions()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("nm") with { MaxVsPerSe = 100 }, false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-1", "nm"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-2", "nm"), false, Ct);

        // Concurrent creates reach the group while it writes: they are decided together.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _cp.CreateVirtualServiceAsync(_b.Vs("vs-" + i, "nm"), false, Ct)));
        var placements = await _cp.ListVirtualServicePlacementsAsync(_b.N("nm"), Ct);

        Assert.Equal(40, placements.Count);
        Assert.All(placements, p => Assert.Equal(OperState.Up, p.Placement.OperState));
        Assert.True((await _cp.GetGroupPlacementAsync(_b.N("nm"), Ct)).Epoch <= 40);
    }

    [Fact]
    public async Task CreateVirtualService_ManyAtOnceOneBad_OnlyTheBadOneIsRefused()
    {
        await _b.LegacyPairAsync(_cp);
        var group = await _cp.GetServiceEngineGroupAsync(_b.N("pair"), Ct);
        await _cp.UpdateServiceEngineGroupAsync(group, group with { MaxVsPerSe = 100 }, false, Ct);

        var creates = Enumerable.Range(0, 10).Select(i => _cp.CreateVirtualServiceAsync(i == 5 ? _b.Vs("vs-5", "pair") with { SnatIp = ["not-an-ip"] } : _b.Vs("vs-" + i, "pair"), false, Ct)).ToArray();
        await Assert.ThrowsAsync<HaValidationException>(() => creates[5]);
        await Task.WhenAll(creates.Where((_, i) => i != 5));

        Assert.Equal(9, (await _cp.ListVirtualServicesAsync(_b.N("pair"), Ct)).Count);
    }

    [Fact]
    public async Task Switchover_LegacyVs_StandbyBecomesActiveAndEpochGrows()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var before = (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement;

        var result = await _cp.RequestAsync(_b.N("pair"), new VsSwitchoverRequest { VsRef = _b.N("web") }, Ct);
        var after = (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement;

        Assert.NotEqual(before.PrimarySeRef, after.PrimarySeRef);
        Assert.True(after.Epoch > before.Epoch);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsSwitchover);
        Assert.Equal(_b.N("web"), Assert.Single(result.Changed).Placement.VsRef);
    }

    [Fact]
    public async Task Migrate_InLegacyGroup_IsRejectedAndChangesNothing()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var epoch = (await _cp.GetGroupPlacementAsync(_b.N("pair"), Ct)).Epoch;

        await Assert.ThrowsAsync<HaOperationRejectedException>(() => _cp.RequestAsync(_b.N("pair"), new MigrateRequest { VsRef = _b.N("web") }, Ct));

        Assert.Equal(epoch, (await _cp.GetGroupPlacementAsync(_b.N("pair"), Ct)).Epoch);
    }

    [Fact]
    public async Task ReportDown_ActiveSe_SurvivorTakesOverAndTheHistoryExplainsIt()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var active = (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef!;

        var result = await _cp.ReportServiceEngineStateAsync(active, OperState.Down, Ct);
        var after = (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement;

        Assert.NotNull(after.PrimarySeRef);
        Assert.NotEqual(active, after.PrimarySeRef);
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeDown);
        var failover = await WaitForAsync(async () => (await _cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).LastOrDefault(r => r.IsFailover));
        Assert.Equal((active, after.PrimarySeRef, after.Epoch), (failover.FromSeRef, failover.ToSeRef, failover.Epoch));
        Assert.NotNull(failover.DeclaredDeadAt);
    }

    [Fact]
    public async Task DeleteGroup_WithEngines_IsRejected()
    {
        await _b.LegacyPairAsync(_cp);

        await Assert.ThrowsAsync<HaOperationRejectedException>(() => _cp.DeleteServiceEngineGroupAsync(_b.N("pair"), Ct));
    }

    [Fact]
    public async Task DeleteGroup_Empty_GoneFromTheList()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("g1"), false, Ct);

        await _cp.DeleteServiceEngineGroupAsync(_b.N("g1"), Ct);

        Assert.DoesNotContain(await _cp.ListServiceEngineGroupsAsync(Ct), g => g.Name == _b.N("g1"));
    }

    [Fact]
    public async Task Update_StaleExpected_ThrowsConflict()
    {
        var original = await _cp.CreateServiceEngineGroupAsync(_b.Group("g1"), false, Ct);
        await _cp.UpdateServiceEngineGroupAsync(original, original with { MaxVsPerSe = 5 }, false, Ct);

        await Assert.ThrowsAsync<HaConflictException>(() => _cp.UpdateServiceEngineGroupAsync(original, original with { MaxVsPerSe = 6 }, false, Ct));

        Assert.Equal(5, (await _cp.GetServiceEngineGroupAsync(_b.N("g1"), Ct)).MaxVsPerSe);
    }

    [Fact]
    public async Task Update_MoveEnabledVsToAnotherGroup_IsRejected()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateServiceEngineGroupAsync(_b.Group("other"), false, Ct);
        var vs = await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);

        var ex = await Assert.ThrowsAsync<HaOperationRejectedException>(() => _cp.UpdateVirtualServiceAsync(vs, vs with { SeGroupRef = _b.N("other") }, false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "se_group_ref");
    }

    [Fact]
    public async Task SharedVsVip_TwoGroups_SecondIsRefused()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateServiceEngineGroupAsync(_b.Group("other"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-x", "other"), false, Ct);
        await _cp.CreateVsVipAsync(new VsVip { Name = _b.N("shared"), Vip = [new Vip { VipId = "0", IpAddress = Ip() }] }, false, Ct);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair") with { Vip = default, VsvipRef = _b.N("shared") }, false, Ct);

        var ex = await Assert.ThrowsAsync<HaValidationException>(() => _cp.CreateVirtualServiceAsync(_b.Vs("api", "other") with { Vip = default, VsvipRef = _b.N("shared") }, false, Ct));

        Assert.Contains(ex.Violations, v => v.Field == "se_group_ref");
        await Assert.ThrowsAsync<HaOperationRejectedException>(() => _cp.DeleteVsVipAsync(_b.N("shared"), Ct));
    }

    [Fact]
    public async Task Upgrade_LegacyPair_EverySeUpgradedAndVsNeverUnplaced()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var reports = new List<UpgradeReport>();
        var unplaced = false;

        await foreach (var report in _cp.UpgradeServiceEngineGroupAsync(_b.N("pair"), new SeUpgradeParams { TargetVersion = "31.1.1" }, Ct))
        {
            reports.Add(report);
            unplaced |= (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef is null;
        }

        Assert.Equal(UpgradeReportKind.Started, reports[0].Kind);
        Assert.Equal(UpgradeReportKind.Completed, reports[^1].Kind);
        Assert.Equal(2, reports.Count(r => r.Kind == UpgradeReportKind.SeDone));
        Assert.Contains(reports, r => r.Kind == UpgradeReportKind.Preparing);
        Assert.False(unplaced);
        Assert.All(await _cp.ListServiceEnginesAsync(_b.N("pair"), Ct), se => Assert.Equal("31.1.1", se.Version));
    }

    [Fact]
    public async Task UpgradeMark_KeptThroughAnOperatorsEditWhileDisabled_ClearedWhenEnabled()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("nm"), false, Ct);
        var created = await _cp.CreateServiceEngineAsync(_b.Engine("se-1", "nm"), false, Ct);
        var marked = await _cp.UpdateServiceEngineAsync(created, created with { EnableState = SeEnableState.Disabled, DisabledForUpgrade = true }, false, Ct);

        // What the API sends: the SE without the mark, still disabled, another host.
        var edited = await _cp.UpdateServiceEngineAsync(marked, marked with { HostRef = "rack-2", DisabledForUpgrade = false }, false, Ct);
        var enabled = await _cp.UpdateServiceEngineAsync(edited, edited with { EnableState = SeEnableState.Enabled, DisabledForUpgrade = false }, false, Ct);

        Assert.True(edited.DisabledForUpgrade);
        Assert.Equal("rack-2", edited.HostRef);
        Assert.False(enabled.DisabledForUpgrade);
    }

    [Fact]
    public async Task Upgrade_NPlusM_MigratesBeforeEachSeAndReenablesIt()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("nm") with { BufferSe = 0, VsScaleinTimeout = 0 }, false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-1", "nm"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-2", "nm"), false, Ct);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "nm"), false, Ct);
        var downs = 0;

        var reports = new List<UpgradeReport>();
        await foreach (var report in _cp.UpgradeServiceEngineGroupAsync(_b.N("nm"), new SeUpgradeParams { TargetVersion = "2" }, Ct))
        {
            reports.Add(report);
            downs += (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef is null ? 1 : 0;
        }

        Assert.True(reports[^1].Kind == UpgradeReportKind.Completed, string.Join("\n", reports));
        Assert.Equal(0, downs);
        Assert.All(await _cp.ListServiceEnginesAsync(_b.N("nm"), Ct), se =>
        {
            Assert.Equal("2", se.Version);
            Assert.Equal(SeEnableState.Enabled, se.EnableState);
            Assert.False(se.DisabledForUpgrade);
            Assert.Equal(OperState.Up, se.OperState);
        });

        // The virtual service's history says the upgrade moved it, not an operator's migration.
        await WaitForAsync(async () => (await _cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).FirstOrDefault(r => r.Cause == "UPGRADE_SE_VS_MIGRATE"));
        Assert.DoesNotContain(await _cp.GetPlacementHistoryAsync(_b.N("web"), Ct), r => r.Cause == "VS_MIGRATE_STARTED");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Upgrade_ActiveActive_EverySeUpgradedAndEveryVsAlwaysServed(int scaleout)
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("aa", HaMode.SharedPair) with { MinScaleoutPerVs = scaleout, BufferSe = 0, VsScaleinTimeout = 1 }, false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-1", "aa"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-2", "aa"), false, Ct);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "aa"), false, Ct);
        await _cp.CreateVirtualServiceAsync(_b.Vs("api", "aa"), false, Ct);
        var downs = 0;

        var before = (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.Epoch;
        var reports = new List<UpgradeReport>();
        await foreach (var report in _cp.UpgradeServiceEngineGroupAsync(_b.N("aa"), new SeUpgradeParams { TargetVersion = "2" }, Ct))
        {
            reports.Add(report);
            foreach (var vs in new[] { "web", "api" })
            {
                downs += (await _cp.GetVirtualServicePlacementAsync(_b.N(vs), Ct)).Placement.PrimarySeRef is null ? 1 : 0;
            }
        }

        Assert.True(reports[^1].Kind == UpgradeReportKind.Completed, string.Join("\n", reports));
        Assert.Equal(0, downs);
        Assert.All(await _cp.ListServiceEnginesAsync(_b.N("aa"), Ct), se =>
        {
            Assert.Equal("2", se.Version);
            Assert.Equal(SeEnableState.Enabled, se.EnableState);
            Assert.False(se.DisabledForUpgrade);
        });

        // The placements the upgrade took away come back as the upgrade's, not as an ordinary scale-out.
        await WaitForAsync(async () => (await _cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).FirstOrDefault(r => r.Cause == "UPGRADE_SE_VS_SCALEOUT"));
        Assert.DoesNotContain(await _cp.GetPlacementHistoryAsync(_b.N("web"), Ct), r => r.Cause == "VS_SCALEOUT_DONE" && r.Epoch > before);
    }

    [Fact]
    public async Task Upgrade_OutlivesItsCaller_ASecondCallFollowsTheSameRunToTheEnd()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var options = new SeUpgradeParams { TargetVersion = "2" };

        // The first caller reads the start and goes away (its gateway stopped, its client cancelled).
        using (var gone = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            await using var first = _cp.UpgradeServiceEngineGroupAsync(_b.N("pair"), options, gone.Token).GetAsyncEnumerator(gone.Token);
            Assert.True(await first.MoveNextAsync());
            Assert.Equal(UpgradeReportKind.Started, first.Current.Kind);
            await gone.CancelAsync();
        }

        // Nobody reads; the upgrade goes on in the cluster.
        await WaitForAsync(async () => (await _cp.ListServiceEnginesAsync(_b.N("pair"), Ct)).All(se => se.Version == "2" && se.EnableState == SeEnableState.Enabled) ? "upgraded" : null);

        // A second call for the same version, joining while it runs or after it ended, reads a whole run to its end.
        var second = new List<UpgradeReport>();
        await foreach (var report in _cp.UpgradeServiceEngineGroupAsync(_b.N("pair"), options, Ct))
        {
            second.Add(report);
        }

        Assert.Equal(UpgradeReportKind.Started, second[0].Kind);
        Assert.Equal(UpgradeReportKind.Completed, second[^1].Kind);
        Assert.NotNull((await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef);
    }

    [Fact]
    public async Task Upgrade_SecondCallWhileItRuns_ReadsTheSameRunFromItsStart()
    {
        await _cp.CreateServiceEngineGroupAsync(_b.Group("nm") with { BufferSe = 0, VsScaleinTimeout = 0, VsScaleinTimeoutForUpgrade = 1 }, false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-1", "nm"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-2", "nm"), false, Ct);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "nm"), false, Ct);
        var options = new SeUpgradeParams { TargetVersion = "2" };
        await using var first = _cp.UpgradeServiceEngineGroupAsync(_b.N("nm"), options, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await first.MoveNextAsync());

        var second = new List<UpgradeReport>();
        await foreach (var report in _cp.UpgradeServiceEngineGroupAsync(_b.N("nm"), options, Ct))
        {
            second.Add(report);
        }

        var firstReports = new List<UpgradeReport> { first.Current };
        while (await first.MoveNextAsync())
        {
            firstReports.Add(first.Current);
        }

        Assert.Equal(UpgradeReportKind.Completed, second[^1].Kind);
        Assert.Equal(2, second.Count(r => r.Kind == UpgradeReportKind.SeDone));
        Assert.Single(second, r => r.Kind == UpgradeReportKind.Started);
        Assert.Equal(firstReports.Select(r => (r.Kind, r.SeRef, r.Description)), second.Select(r => (r.Kind, r.SeRef, r.Description)));
    }

    [Fact]
    public async Task Upgrade_AnotherVersionWhileOneRuns_IsRejectedAndTheRunningOneEnds()
    {
        await _b.LegacyPairAsync(_cp);
        await using var first = _cp.UpgradeServiceEngineGroupAsync(_b.N("pair"), new SeUpgradeParams { TargetVersion = "2" }, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await first.MoveNextAsync());

        var ex = await Assert.ThrowsAsync<HaOperationRejectedException>(async () =>
        {
            await foreach (var report in _cp.UpgradeServiceEngineGroupAsync(_b.N("pair"), new SeUpgradeParams { TargetVersion = "3" }, Ct))
            {
                Assert.Fail("a second upgrade must not start, got " + report);
            }
        });

        Assert.Contains("is running", ex.Message, StringComparison.Ordinal);
        var last = first.Current;
        while (await first.MoveNextAsync())
        {
            last = first.Current;
        }

        Assert.Equal(UpgradeReportKind.Completed, last.Kind);
        Assert.All(await _cp.ListServiceEnginesAsync(_b.N("pair"), Ct), se => Assert.Equal("2", se.Version));
    }

    [Fact]
    public async Task StaleActivation_ItsWriteFailsAndItPublishesNothing_TheNextActivationDecides()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var before = await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct);
        var feed = fixture.Cluster.Client.GetGrain<IPlacementFeedGrain>(HaRegistry.Key);
        var head = await feed.GetHeadAsync();

        // Another activation of the group wrote since this one read its state.
        Assert.True(fixture.Cluster.RewriteStoredState("group", _b.N("pair")));
        var ex = await Assert.ThrowsAsync<HaStorageException>(() => _cp.RequestAsync(_b.N("pair"), new VsSwitchoverRequest { VsRef = _b.N("web") }, Ct));

        Assert.Contains("another activation", ex.Message, StringComparison.Ordinal);
        Assert.Equal(head, await feed.GetHeadAsync());
        Assert.Equal(before.Placement, (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement);

        // The stale activation went away; the next one reads the stored state and decides.
        var result = await WaitForAsync(async () =>
        {
            try
            {
                return await _cp.RequestAsync(_b.N("pair"), new VsSwitchoverRequest { VsRef = _b.N("web") }, Ct);
            }
            catch (HaStorageException)
            {
                return null;
            }
        });
        var after = (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement;
        Assert.NotEqual(before.Placement.PrimarySeRef, after.PrimarySeRef);
        Assert.True(after.Epoch > before.Placement.Epoch);
        Assert.True(result.Sequence > head);
    }

    internal static async Task<T> WaitForAsync<T>(Func<Task<T?>> read, TimeSpan? within = null)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
