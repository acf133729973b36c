using AviOrleans.Domain;

namespace AviOrleans.Domain.Tests;

public sealed class ValidationTests
{
    private static HaConfiguration Config(HaMode mode = HaMode.Shared, int ses = 2) => new()
    {
        ServiceEngineGroups = [new ServiceEngineGroup { Name = "g", HaMode = mode }],
        ServiceEngines = [.. Enumerable.Range(1, ses).Select(i => new ServiceEngine { Name = $"se-{i}", SeGroupRef = "g" })],
        VirtualServices =
        [
            new VirtualService { Name = "vs-a", SeGroupRef = "g", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.10" }] },
            new VirtualService { Name = "vs-b", SeGroupRef = "g", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.11", Ip6Address = "2001:db8::11" }] },
        ],
    };

    [Fact]
    public void AS01_NewGroupWithOnlyAName_HasAviDefaults()
    {
        var g = new ServiceEngineGroup { Name = "Default-Group" };

        Assert.Equal(HaMode.Shared, g.HaMode);
        Assert.Equal("HA_MODE_SHARED", g.HaMode.ToAviName());
        Assert.Equal(PlacementAlgo.Packed, g.Algo);
        Assert.Equal(10, g.MaxVsPerSe);
        Assert.Equal(1, g.MinScaleoutPerVs);
        Assert.Equal(4, g.MaxScaleoutPerVs);
        Assert.Equal(10, g.MaxSe);
        Assert.Equal(1, g.BufferSe);
        Assert.True(g.HmOnStandby);
        Assert.True(g.VsHostRedundancy);
        Assert.False(g.DistributeLoadActiveStandby);
        Assert.False(g.AutoRedistributeActiveStandbyLoad);
        Assert.False(g.AutoRebalance);
        Assert.Equal(300, g.AutoRebalanceInterval);
        Assert.Equal(120, g.SeDeprovisionDelay);
        Assert.Equal(30, g.VsScaleinTimeout);
        Assert.Equal(600, g.VsScaleoutTimeout);
        Assert.Equal(300, g.VsSwitchoverTimeout);
        Assert.Equal(100, g.DpHbFrequency);
        Assert.Equal(10, g.DpHbTimeoutCount);
        Assert.False(g.AggressiveFailureDetection);
        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(g));
    }

    [Theory]
    [InlineData("HA_MODE_FOO")]
    [InlineData("ha_mode_shared")]
    public void AS02_UnknownHaModeName_DoesNotParse(string name) => Assert.False(AviNames.TryParse<HaMode>(name, out _));

    [Fact]
    public void AS02_UnknownEnumValues_AreRejectedWithTheirPaths()
    {
        Assert.False(AviNames.TryParse<PlacementAlgo>("ROUND_ROBIN", out _));
        Assert.False(AviNames.TryParse<ActiveStandbySeTag>("ACTIVE_STANDBY_SE_3", out _));
        Assert.True(AviNames.TryParse<HaMode>("HA_MODE_LEGACY_ACTIVE_STANDBY", out var mode));
        Assert.Equal(HaMode.LegacyActiveStandby, mode);

        var g = new ServiceEngineGroup { Name = "g", HaMode = (HaMode)42, Algo = (PlacementAlgo)7 };
        var vs = new VirtualService { Name = "v", SeGroupRef = "g", ActiveStandbySeTag = (ActiveStandbySeTag)2, Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.1" }] };

        var groupViolations = ConfigurationValidator.ValidateServiceEngineGroup(g);
        var vsViolations = ConfigurationValidator.ValidateVirtualService(vs);

        Assert.Contains(groupViolations, v => v.FieldPath == "serviceenginegroup.ha_mode" && v.Code == ViolationCode.InvalidEnum && v.Description.Contains("HA_MODE_SHARED_PAIR", StringComparison.Ordinal));
        Assert.Contains(groupViolations, v => v.FieldPath == "serviceenginegroup.algo");
        Assert.Contains(vsViolations, v => v.FieldPath == "virtualservice.active_standby_se_tag");
    }

    public static TheoryData<string, Func<ServiceEngineGroup, ServiceEngineGroup>> OutOfRange => new()
    {
        { "max_vs_per_se", g => g with { MaxVsPerSe = 0 } },
        { "max_vs_per_se", g => g with { MaxVsPerSe = 1001 } },
        { "max_se", g => g with { MaxSe = 1001 } },
        { "min_scaleout_per_vs", g => g with { MinScaleoutPerVs = 0 } },
        { "min_scaleout_per_vs", g => g with { MinScaleoutPerVs = 65, MaxScaleoutPerVs = 64 } },
        { "max_scaleout_per_vs", g => g with { MaxScaleoutPerVs = 0, MinScaleoutPerVs = 0 } },
        { "max_scaleout_per_vs", g => g with { MaxScaleoutPerVs = 65 } },
        { "max_cpu_usage", g => g with { MaxCpuUsage = 39, MinCpuUsage = 20 } },
        { "max_cpu_usage", g => g with { MaxCpuUsage = 91 } },
        { "min_cpu_usage", g => g with { MinCpuUsage = 19 } },
        { "min_cpu_usage", g => g with { MinCpuUsage = 61, MaxCpuUsage = 90 } },
        { "se_deprovision_delay", g => g with { SeDeprovisionDelay = 525601 } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void AS03_ValueOutsideItsRange_IsRejected(string field, Func<ServiceEngineGroup, ServiceEngineGroup> change)
    {
        var violations = ConfigurationValidator.ValidateServiceEngineGroup(change(new ServiceEngineGroup { Name = "g" }));

        Assert.Contains(violations, v => v.FieldPath == "serviceenginegroup." + field && v.Code == ViolationCode.OutOfRange);
    }

    [Fact]
    public void AS03_BoundaryValues_AreAccepted()
    {
        var low = new ServiceEngineGroup { Name = "g", MaxVsPerSe = 1, MaxSe = 0, MinSe = 0, BufferSe = 0, MinScaleoutPerVs = 1, MaxScaleoutPerVs = 1, MaxCpuUsage = 40, MinCpuUsage = 20, SeDeprovisionDelay = 0 };
        var high = new ServiceEngineGroup { Name = "g", MaxVsPerSe = 1000, MaxSe = 1000, MinScaleoutPerVs = 64, MaxScaleoutPerVs = 64, MaxCpuUsage = 90, MinCpuUsage = 60, SeDeprovisionDelay = 525600 };

        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(low));
        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(high));
    }

    [Fact]
    public void AS04_LegacyGroupWithAThirdSe_IsRejected()
    {
        var config = Config(HaMode.LegacyActiveStandby, ses: 3);

        var violations = ConfigurationValidator.Validate(config);

        var v = Assert.Single(violations);
        Assert.Equal("serviceengine[2].se_group_ref", v.FieldPath);
        Assert.Equal(ViolationCode.Conflict, v.Code);
        Assert.Contains("se-1, se-2", v.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AS08_VipAsSnatInActiveActiveGroup_IsRejected()
    {
        var config = Config(HaMode.SharedPair);
        config = config with { VirtualServices = [config.VirtualServices[0] with { UseVipAsSnat = true }, config.VirtualServices[1]] };

        var violations = ConfigurationValidator.Validate(config);

        Assert.Equal("virtualservice[0].use_vip_as_snat", Assert.Single(violations).FieldPath);
    }

    [Fact]
    public void AS09_MovingAnEnabledVsToAnotherGroup_IsRefusedAndChangesNothing()
    {
        var current = Config() with { ServiceEngineGroups = [new ServiceEngineGroup { Name = "g" }, new ServiceEngineGroup { Name = "h" }] };
        var move = new ConfigurationChange { UpsertVirtualServices = [current.VirtualServices[0] with { SeGroupRef = "h" }] };

        var refused = ConfigurationValidator.Validate(move, current);

        Assert.False(refused.IsValid);
        Assert.Equal("virtualservice[0].se_group_ref", Assert.Single(refused.Violations).FieldPath);

        var disabled = new ConfigurationChange { UpsertVirtualServices = [current.VirtualServices[0] with { Enabled = false }] }.ApplyTo(current);
        var moveDisabled = new ConfigurationChange { UpsertVirtualServices = [disabled.VirtualServices[0] with { SeGroupRef = "h" }] };
        Assert.True(ConfigurationValidator.Validate(moveDisabled, disabled).IsValid);
    }

    [Fact]
    public void AS47_DisablingASeOfALegacyPair_IsRefused()
    {
        var config = Config(HaMode.LegacyActiveStandby);
        config = config with { ServiceEngines = [config.ServiceEngines[0] with { EnableState = SeEnableState.Disabled }, config.ServiceEngines[1]] };

        var v = Assert.Single(ConfigurationValidator.Validate(config));

        Assert.Equal("serviceengine[0].enable_state", v.FieldPath);
        Assert.Contains("switchover", v.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneWithItsPath()
    {
        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "g", MaxVsPerSe = 0, MinScaleoutPerVs = 5, MaxScaleoutPerVs = 2 }],
            ServiceEngines = [new ServiceEngine { Name = "se-1", SeGroupRef = "nope" }],
            VirtualServices =
            [
                new VirtualService { Name = "a", SeGroupRef = "g", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.1" }, new Vip { VipId = "1", IpAddress = "not-an-ip" }] },
                new VirtualService { Name = "b", SeGroupRef = "missing", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.1" }], SnatIp = ["2001:db8::zz"] },
                new VirtualService { Name = "a", SeGroupRef = "g", Vip = [new Vip { VipId = "0", Ip6Address = "192.0.2.9" }] },
            ],
        };

        var paths = ConfigurationValidator.Validate(config).Select(v => v.FieldPath).ToList();

        Assert.Contains("serviceenginegroup[0].max_vs_per_se", paths);
        Assert.Contains("serviceenginegroup[0].min_scaleout_per_vs", paths);
        Assert.Contains("serviceengine[0].se_group_ref", paths);
        Assert.Contains("virtualservice[0].vip[1].ip_address", paths);
        Assert.Contains("virtualservice[1].se_group_ref", paths);
        Assert.Contains("virtualservice[1].vip[0].ip_address", paths);
        Assert.Contains("virtualservice[1].snat_ip[0]", paths);
        Assert.Contains("virtualservice[2].name", paths);
        Assert.Contains("virtualservice[2].vip[0].ip6_address", paths);
    }

    [Fact]
    public void Validate_VipUsedByAnotherVs_IsRejectedNamingTheOwner()
    {
        var config = Config();
        config = config with { VirtualServices = [config.VirtualServices[0], config.VirtualServices[1] with { Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.10" }] }] };

        var v = Assert.Single(ConfigurationValidator.Validate(config));

        Assert.Equal("virtualservice[1].vip[0].ip_address", v.FieldPath);
        Assert.Equal(ViolationCode.Duplicate, v.Code);
        Assert.Contains("vs-a", v.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.256")]
    [InlineData("2001:db8::1")]
    [InlineData("")]
    public void Validate_Ipv4VipThatIsNotAnIpv4Address_IsRejected(string address)
    {
        var vs = new VirtualService { Name = "v", SeGroupRef = "g", Vip = [new Vip { VipId = "0", IpAddress = address }] };

        Assert.Contains(ConfigurationValidator.ValidateVirtualService(vs), v => v.FieldPath == "virtualservice.vip[0].ip_address");
    }

    [Fact]
    public void Validate_SharedVipOfVssInTwoGroups_IsRejected()
    {
        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "g" }, new ServiceEngineGroup { Name = "h" }],
            VsVips = [new VsVip { Name = "web", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.5" }] }],
            VirtualServices =
            [
                new VirtualService { Name = "http", SeGroupRef = "g", VsvipRef = "web" },
                new VirtualService { Name = "https", SeGroupRef = "h", VsvipRef = "web" },
            ],
        };

        Assert.Equal("virtualservice[1].se_group_ref", Assert.Single(ConfigurationValidator.Validate(config)).FieldPath);
    }

    [Fact]
    public void ValidateChange_SameObjectsAgain_ChangesNothing()
    {
        var current = Config();
        var change = new ConfigurationChange { UpsertVirtualServices = [current.VirtualServices[1] with { }], UpsertServiceEngineGroups = [new ServiceEngineGroup { Name = "g" }] };

        var result = ConfigurationValidator.Validate(change, current);

        Assert.True(result.ChangesNothing);
        Assert.True(result.IsValid);
        Assert.Same(current, result.Proposed);
    }

    [Fact]
    public void ValidateChange_HaModeOfGroupWithPlacedVss_IsRefused()
    {
        var current = Config();
        var change = new ConfigurationChange { UpsertServiceEngineGroups = [current.ServiceEngineGroups[0] with { HaMode = HaMode.SharedPair }] };

        var result = ConfigurationValidator.Validate(change, current);

        Assert.Equal("serviceenginegroup[0].ha_mode", Assert.Single(result.Violations).FieldPath);
    }

    [Fact]
    public void ValidateChange_InvalidChange_LeavesCurrentUntouched()
    {
        var current = Config();
        var change = new ConfigurationChange { DeleteServiceEngineGroups = ["g"] };

        var result = ConfigurationValidator.Validate(change, current);

        Assert.False(result.IsValid);
        Assert.Equal(4, result.Violations.Count(v => v.Code == ViolationCode.UnknownReference));
        Assert.Single(current.ServiceEngineGroups);
    }

    public static TheoryData<string, HaMode, Func<ServiceEngineGroup, ServiceEngineGroup>, string> ImpossibleGroups => new()
    {
        { "min_scaleout_per_vs", HaMode.Shared, g => g with { MinScaleoutPerVs = 3, MaxScaleoutPerVs = 4, MaxSe = 2 }, "max_se = 2 never gives it that many" },
        { "max_se", HaMode.SharedPair, g => g with { MaxSe = 1 }, "at least 2" },
        { "min_scaleout_per_vs", HaMode.SharedPair, g => g with { MinScaleoutPerVs = 5, MaxScaleoutPerVs = 5, MaxSe = 4 }, "needs 5 service engines of its own" },
        { "min_se", HaMode.LegacyActiveStandby, g => g with { MinSe = 3 }, "min_se must be at most 2" },
        { "min_se", HaMode.Shared, g => g with { MinSe = 11 }, "must not exceed max_se" },
        { "min_scaleout_per_vs", HaMode.Shared, g => g with { MinScaleoutPerVs = 5 }, "must not exceed max_scaleout_per_vs" },
        { "max_scaleout_per_vs", HaMode.SharedPair, g => g with { MaxScaleoutPerVs = 1 }, "at least 2" },
        { "min_scaleout_per_vs", HaMode.LegacyActiveStandby, g => g with { MinScaleoutPerVs = 2 }, "must be 1" },
        { "buffer_se", HaMode.Shared, g => g with { BufferSe = 3, MaxSe = 2 }, "buffer_se" },
        { "min_cpu_usage", HaMode.Shared, g => g with { MinCpuUsage = 50, MaxCpuUsage = 50 }, "must be below max_cpu_usage" },
    };

    [Theory]
    [MemberData(nameof(ImpossibleGroups))]
    public void Validate_GroupThatCanNeverBeSatisfied_IsRefusedNamingTheField(string field, HaMode mode, Func<ServiceEngineGroup, ServiceEngineGroup> change, string says)
    {
        var violations = ConfigurationValidator.ValidateServiceEngineGroup(change(new ServiceEngineGroup { Name = "g", HaMode = mode }));

        var v = Assert.Single(violations);
        Assert.Equal("serviceenginegroup." + field, v.FieldPath);
        Assert.Contains(says, v.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinimumScaleWithinMaxSe_IsAccepted()
    {
        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(new ServiceEngineGroup { Name = "g", MinScaleoutPerVs = 2, MaxSe = 2 }));
        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(new ServiceEngineGroup { Name = "g", HaMode = HaMode.SharedPair, MaxSe = 2 }));
        Assert.Empty(ConfigurationValidator.ValidateServiceEngineGroup(new ServiceEngineGroup { Name = "g", HaMode = HaMode.LegacyActiveStandby, MinSe = 2 }));
    }

    [Theory]
    [InlineData(-1, 300, "unresponsive_se_reboot")]
    [InlineData(86401, 300, "unresponsive_se_reboot")]
    [InlineData(300, -1, "del_offline_se_after_reboot_delay")]
    [InlineData(300, 86401, "del_offline_se_after_reboot_delay")]
    [InlineData(300, 300, "upgrade_lease_time", 0)]
    [InlineData(300, 300, "upgrade_lease_time", 86401)]
    public void Validate_ControllerTimersOutOfRange_AreRejected(int reboot, int delete, string field, int upgradeLease = 600)
    {
        var config = Config() with { ControllerProperties = new ControllerProperties { UnresponsiveSeReboot = reboot, DelOfflineSeAfterRebootDelay = delete, UpgradeLeaseTime = upgradeLease } };

        var v = Assert.Single(ConfigurationValidator.Validate(config));

        Assert.Equal("controllerproperties." + field, v.FieldPath);
        Assert.Equal(ViolationCode.OutOfRange, v.Code);
        Assert.Empty(ConfigurationValidator.ValidateControllerProperties(new ControllerProperties { UnresponsiveSeReboot = 0, DelOfflineSeAfterRebootDelay = 86400 }));
    }

    [Theory]
    [InlineData("10.0.0.300", ViolationCode.InvalidAddress)]
    [InlineData("10.0.0.1", ViolationCode.Duplicate)]
    public void Validate_GatewayMonitorWithABadOrRepeatedAddress_IsRejected(string second, ViolationCode code)
    {
        var se = new ServiceEngine
        {
            Name = "se-1",
            SeGroupRef = "g",
            GatewayMonitors = [new GatewayMonitorStatus { GatewayIp = "10.0.0.1" }, new GatewayMonitorStatus { GatewayIp = second, Reachable = false }],
        };

        var v = Assert.Single(ConfigurationValidator.ValidateServiceEngine(se));

        Assert.Equal("serviceengine.gateway_monitors[1].gateway_ip", v.FieldPath);
        Assert.Equal(code, v.Code);
    }

    private static HaConfiguration AtMaxSeWithADeadSe() => Config(ses: 2) with
    {
        ServiceEngineGroups = [new ServiceEngineGroup { Name = "g", MaxSe = 2 }],
        ServiceEngines = [new ServiceEngine { Name = "se-1", SeGroupRef = "g" }, new ServiceEngine { Name = "se-2", SeGroupRef = "g", OperState = OperState.Down }],
    };

    /// <summary>The group's placement with se-2 dead since <paramref name="downFor"/> ago, as the engine records it.</summary>
    private static GroupPlacement PlacementWithDeadSe(HaConfiguration config, TimeSpan downFor)
    {
        var down = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = PlacementEngine.Compute(PlacementInput.ForGroup(config, "g", null, down)).Placement;
        return PlacementEngine.Compute(PlacementInput.ForGroup(config, "g", first, down + downFor)).Placement;
    }

    [Fact]
    public void ValidateChange_ReplacementJoiningWhileTheDeadSeStillCountsAgainstMaxSe_IsRefused()
    {
        var current = AtMaxSeWithADeadSe();
        var join = new ConfigurationChange { UpsertServiceEngines = [new ServiceEngine { Name = "se-3", SeGroupRef = "g" }] };

        var refused = ConfigurationValidator.Validate(join, current, [PlacementWithDeadSe(current, TimeSpan.FromSeconds(599))]);

        var v = Assert.Single(refused.Violations);
        Assert.Equal("serviceengine[2].se_group_ref", v.FieldPath);
        Assert.Equal(ViolationCode.Conflict, v.Code);
        Assert.Contains("max_se = 2", v.Description, StringComparison.Ordinal);
        Assert.Contains("unresponsive_se_reboot + del_offline_se_after_reboot_delay", v.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateChange_ReplacementJoiningOnceTheDeadSeNoLongerCounts_IsAcceptedAndTheDeadSeMayComeBack()
    {
        var current = AtMaxSeWithADeadSe();
        var placement = PlacementWithDeadSe(current, TimeSpan.FromSeconds(600));
        var join = new ConfigurationChange { UpsertServiceEngines = [new ServiceEngine { Name = "se-3", SeGroupRef = "g" }] };

        var joined = ConfigurationValidator.Validate(join, current, [placement]);
        Assert.True(joined.IsValid, string.Join("; ", joined.Violations));

        // The dead SE coming back is a liveness change of a member: never refused for max_se.
        var back = new ConfigurationChange { UpsertServiceEngines = [current.ServiceEngines[1] with { OperState = OperState.Up }] };
        Assert.True(ConfigurationValidator.Validate(back, joined.Proposed, [placement]).IsValid);

        // Without placements every SE counts: the same join is refused.
        Assert.False(ConfigurationValidator.Validate(join, current).IsValid);
    }

    [Fact]
    public void ValidateChange_MaxSeLoweredBelowTheSesCountingAgainstIt_IsRefused()
    {
        var current = Config(ses: 3);
        var lower = new ConfigurationChange { UpsertServiceEngineGroups = [current.ServiceEngineGroups[0] with { MaxSe = 2 }] };

        var refused = ConfigurationValidator.Validate(lower, current);

        var v = Assert.Single(refused.Violations);
        Assert.Equal("serviceenginegroup[0].max_se", v.FieldPath);
        Assert.Contains("3 service engines counting against it", v.Description, StringComparison.Ordinal);
        Assert.True(ConfigurationValidator.Validate(new ConfigurationChange { UpsertServiceEngineGroups = [current.ServiceEngineGroups[0] with { MaxSe = 3 }] }, current).IsValid);
    }

    [Fact]
    public void Validate_WholeConfigurationWithMoreSesThanMaxSe_IsRejected()
    {
        var config = AtMaxSeWithADeadSe() with { ServiceEngines = [.. AtMaxSeWithADeadSe().ServiceEngines, new ServiceEngine { Name = "se-3", SeGroupRef = "g" }] };

        var v = Assert.Single(ConfigurationValidator.Validate(config));

        Assert.Equal("serviceengine[2].se_group_ref", v.FieldPath);
    }
}
