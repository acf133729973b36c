using AviOrleans.Domain;
using AviOrleans.Silo.Configuration;

namespace AviOrleans.Silo.Tests;

public sealed class ConfigurationLoaderTests
{
    [Theory]
    [InlineData("examples/n-plus-m.json")]
    [InlineData("examples/legacy-pair.json")]
    public void Parse_ExampleFile_IsValid(string file)
    {
        var (configuration, violations) = ConfigurationLoader.Parse(File.ReadAllText(RepositoryFiles.Path(file)));

        Assert.Empty(violations);
        Assert.NotNull(configuration);
        Assert.NotEmpty(configuration.VirtualServices);
    }

    [Fact]
    public void Parse_NPlusMExample_MapsAviFieldNames()
    {
        var (configuration, _) = ConfigurationLoader.Parse(File.ReadAllText(RepositoryFiles.Path("examples/n-plus-m.json")));

        var group = Assert.Single(configuration!.ServiceEngineGroups);
        Assert.Equal(HaMode.Shared, group.HaMode);
        Assert.Equal(8, group.MaxVsPerSe);
        Assert.Equal(5, group.MaxSe);
        Assert.Equal(4, group.MaxScaleoutPerVs);
        Assert.Equal("host-a", configuration.ServiceEngines[0].HostRef);
        var shop = configuration.VirtualServices.Single(v => v.Name == "shop-https");
        Assert.Equal("shop-vip", shop.VsvipRef);
        Assert.Equal(8443, Assert.Single(shop.PoolServers).Port);
        Assert.Equal("2001:db8::100", configuration.VsVips[0].Vip[0].Ip6Address);
        Assert.False(configuration.VirtualServices.Single(v => v.Name == "vs-18").Enabled);
    }

    [Fact]
    public void Parse_LegacyExample_MapsFloatingIpsAndTags()
    {
        var (configuration, _) = ConfigurationLoader.Parse(File.ReadAllText(RepositoryFiles.Path("examples/legacy-pair.json")));

        var group = Assert.Single(configuration!.ServiceEngineGroups);
        Assert.Equal(["192.0.2.253"], group.FloatingIntfIpSe2);
        Assert.True(group.DistributeLoadActiveStandby);
        Assert.Equal(ActiveStandbySeTag.ActiveStandbySe2, configuration.VirtualServices.Single(v => v.Name == "vs3").ActiveStandbySeTag);
    }

    [Fact]
    public void Parse_ControllerProperties_MapsAviFieldNames_ReportsAnUnknownFieldAndAnUpgradeLeaseOutOfRange()
    {
        var (configuration, none) = ConfigurationLoader.Parse("""
            { "controllerproperties": { "unresponsive_se_reboot": 60, "del_offline_se_after_reboot_delay": 30, "upgrade_lease_time": 900 } }
            """);
        var (_, violations) = ConfigurationLoader.Parse("""{ "controllerproperties": { "upgrade_lease_time": 0, "upgrade_fat_se_lease_time": 1200 } }""");

        Assert.Empty(none);
        Assert.Equal(new ControllerProperties { UnresponsiveSeReboot = 60, DelOfflineSeAfterRebootDelay = 30, UpgradeLeaseTime = 900 }, configuration!.ControllerProperties);
        Assert.Equal(TimeSpan.FromSeconds(900), configuration.ControllerProperties.GetUpgradeLeaseTime());
        Assert.Equal(["controllerproperties.upgrade_fat_se_lease_time", "controllerproperties.upgrade_lease_time"], violations.Select(x => x.FieldPath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_InvalidExample_ReportsEveryViolationByFieldPath()
    {
        var (_, violations) = ConfigurationLoader.Parse(File.ReadAllText(RepositoryFiles.Path("examples/invalid.json")));

        var paths = violations.Select(v => v.FieldPath).ToList();
        Assert.Equal(
            [
                "serviceenginegroup[1].ha_mode",
                "virtualservice[1].max_vs_per_sec",
                "virtualservice[1].active_standby_se_tag",
                "serviceenginegroup[0].max_vs_per_se",
                "serviceengine[2].se_group_ref",
                "virtualservice[1].vip[0].ip_address",
                "virtualservice[1].vip[1].ip_address",
                "virtualservice[1].se_group_ref",
            ],
            paths);
        Assert.Contains(violations, v => v.Code == ViolationCode.UnknownField);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsWhere()
    {
        var (configuration, violations) = ConfigurationLoader.Parse("""{ "serviceenginegroup": [ { "name": "g", "max_vs_per_se": "ten" } ] }""");

        Assert.Null(configuration);
        var v = Assert.Single(violations);
        Assert.Equal("serviceenginegroup[0].max_vs_per_se", v.FieldPath);
        Assert.Equal(ViolationCode.Malformed, v.Code);
    }

    [Fact]
    public void Parse_MissingFields_GetAviDefaultsOrRequiredViolations()
    {
        var (configuration, violations) = ConfigurationLoader.Parse("""{ "serviceenginegroup": [ { "name": "g" } ], "virtualservice": [ { "se_group_ref": "g", "vip": [ { "ip_address": "192.0.2.1" } ] } ] }""");

        Assert.Equal(10, configuration!.ServiceEngineGroups[0].MaxVsPerSe);
        Assert.Equal(["virtualservice[0].name", "virtualservice[0].vip[0].vip_id"], violations.Select(v => v.FieldPath));
    }
}
