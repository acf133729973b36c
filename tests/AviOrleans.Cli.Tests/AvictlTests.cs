using System.Text.Json;
using AviOrleans.Testing;

namespace AviOrleans.Cli.Tests;

public sealed class AvictlTests
{
    private static async Task<CliFixture> LegacyPairAsync()
    {
        var f = await CliFixture.StartAsync();
        Ok(await f.AdminAsync("configure", "serviceenginegroup", "pair", "ha_mode", "ha_mode_legacy_active_standby", "max_se", "2", "buffer_se", "0"));
        Ok(await f.AdminAsync("configure", "serviceengine", "se-a", "se_group_ref", "pair"));
        Ok(await f.AdminAsync("configure", "serviceengine", "se-b", "se_group_ref", "pair"));
        Ok(await f.AdminAsync("configure", "virtualservice", "web", "se_group_ref", "pair", "vip", "192.0.2.10"));
        return f;
    }

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    [Fact]
    public async Task Configure_NewGroup_CreatesAndShowsFieldTable()
    {
        await using var f = await CliFixture.StartAsync();

        var r = Ok(await f.AdminAsync("configure", "serviceenginegroup", "g1", "ha_mode", "shared_pair", "min_scaleout_per_vs", "2"));

        Assert.Contains("| ha_mode ", r.Output, StringComparison.Ordinal);
        Assert.Contains("HA_MODE_SHARED_PAIR", r.Output, StringComparison.Ordinal);
        Assert.Contains("| max_vs_per_se ", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_ExistingGroup_UpdatesOnlyTheGivenFields()
    {
        await using var f = await CliFixture.StartAsync();
        Ok(await f.AdminAsync("configure", "serviceenginegroup", "g1", "buffer_se", "2"));

        Ok(await f.AdminAsync("configure", "serviceenginegroup", "g1", "max_vs_per_se", "8"));
        var json = JsonDocument.Parse(Ok(await f.AdminAsync("show", "serviceenginegroup", "g1", "--json")).Output).RootElement;

        Assert.Equal(8, json.GetProperty("max_vs_per_se").GetInt32());
        Assert.Equal(2, json.GetProperty("buffer_se").GetInt32());
        Assert.Equal("HA_MODE_SHARED", json.GetProperty("ha_mode").GetString());
    }

    [Fact]
    public async Task Configure_InvalidValues_ExitsInvalidListingEachField()
    {
        await using var f = await CliFixture.StartAsync();

        var r = await f.AdminAsync("configure", "serviceenginegroup", "g1", "max_vs_per_se", "0", "max_se", "1001");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("service_engine_group.max_vs_per_se:", r.Error, StringComparison.Ordinal);
        Assert.Contains("service_engine_group.max_se:", r.Error, StringComparison.Ordinal);
        Assert.Equal(4, (await f.AdminAsync("show", "serviceenginegroup", "g1")).ExitCode);
    }

    [Fact]
    public async Task Configure_InvalidValues_JsonErrorOnStderr()
    {
        await using var f = await CliFixture.StartAsync();

        var r = await f.AdminAsync("configure", "serviceenginegroup", "g1", "max_vs_per_se", "0", "--json");

        Assert.Equal(3, r.ExitCode);
        var error = JsonDocument.Parse(r.Error).RootElement.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        Assert.Equal("service_engine_group.max_vs_per_se", error.GetProperty("field_violations")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("configure", "serviceenginegroup", "g1", "no_such_field", "1")]
    [InlineData("configure", "serviceenginegroup", "g1", "max_vs_per_se", "lots")]
    [InlineData("configure", "serviceenginegroup", "g1", "ha_mode", "HA_MODE_FOO")]
    [InlineData("configure", "serviceenginegroup", "g1", "max_se")]
    [InlineData("configure", "serviceengine", "se-1", "version", "2")]
    [InlineData("show", "virtualservice", "web", "nonsense")]
    [InlineData("frobnicate")]
    public async Task BadCommandLine_ExitsUsageAndChangesNothing(params string[] args)
    {
        await using var f = await CliFixture.StartAsync();

        var r = await f.AdminAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("avictl: ", r.Error, StringComparison.Ordinal);
        Assert.Equal("[\n]", Ok(await f.AdminAsync("show", "serviceenginegroup", "--json")).Output.Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Show_List_TableAndJson()
    {
        await using var f = await LegacyPairAsync();

        var table = Ok(await f.ReaderAsync("show", "serviceengine"));
        var json = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "virtualservice", "--json")).Output).RootElement;

        Assert.Contains("se-a", table.Output, StringComparison.Ordinal);
        Assert.Contains("se-b", table.Output, StringComparison.Ordinal);
        Assert.Contains("SE_STATE_ENABLED", table.Output, StringComparison.Ordinal);
        Assert.Equal("web", json[0].GetProperty("name").GetString());
        Assert.Equal("192.0.2.10", json[0].GetProperty("vip")[0].GetProperty("ip_address").GetString());
    }

    [Fact]
    public async Task ShowPlacement_LegacyPair_ShowsActiveAndStandby()
    {
        await using var f = await LegacyPairAsync();

        var r = Ok(await f.ReaderAsync("show", "virtualservice", "web", "placement"));
        var json = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "virtualservice", "web", "placement", "--json")).Output).RootElement;

        Assert.Contains("PLACEMENT_STATE_PLACED", r.Output, StringComparison.Ordinal);
        Assert.Contains("primary (active)", r.Output, StringComparison.Ordinal);
        Assert.Contains("standby", r.Output, StringComparison.Ordinal);
        Assert.NotEqual(json.GetProperty("vip")[0].GetProperty("active_se_ref").GetString(), json.GetProperty("vip")[0].GetProperty("standby_se_ref").GetString());
    }

    [Fact]
    public async Task ShowGroupStatus_ListsSesAndAddressOwners()
    {
        await using var f = await LegacyPairAsync();

        var r = Ok(await f.ReaderAsync("show", "serviceenginegroup", "pair", "status"));

        Assert.Contains("legacy pair", r.Output, StringComparison.Ordinal);
        Assert.Contains("192.0.2.10", r.Output, StringComparison.Ordinal);
        Assert.Contains("ADDRESS_KIND_VIP", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowGroupStatus_BufferShort_SaysHowManySesAreMissingAndWhy()
    {
        await using var f = await CliFixture.StartAsync();
        Ok(await f.AdminAsync("configure", "serviceenginegroup", "nm", "max_vs_per_se", "2", "max_se", "4"));
        Ok(await f.AdminAsync("configure", "serviceengine", "se-1", "se_group_ref", "nm"));
        Ok(await f.AdminAsync("configure", "virtualservice", "web", "se_group_ref", "nm", "vip", "192.0.2.10"));

        var shortOfOne = Ok(await f.ReaderAsync("show", "serviceenginegroup", "nm", "status"));
        Ok(await f.AdminAsync("configure", "serviceengine", "se-2", "se_group_ref", "nm"));
        var whole = Ok(await f.ReaderAsync("show", "serviceenginegroup", "nm", "status"));

        Assert.Contains("HA compromised: buffer short", shortOfOne.Output, StringComparison.Ordinal);
        Assert.Contains("service engines: 2 needed, 1 usable, 1 missing; max_se 4: 1 counting, 3 may join", shortOfOne.Output, StringComparison.Ordinal);
        Assert.Contains("SE_NEED_BUFFER_SHORT: buffer short: 1 free slots", shortOfOne.Output, StringComparison.Ordinal);
        Assert.Contains("service engines: 2 needed, 2 usable, 0 missing", whole.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SE_NEED_", whole.Output, StringComparison.Ordinal);
        Assert.Contains(whole.Output.Split('\n'), line => line.Contains("se-2", StringComparison.Ordinal) && line.Contains("buffer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failover_VirtualService_MovesActiveAndPrintsEvents()
    {
        await using var f = await LegacyPairAsync();
        var before = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "virtualservice", "web", "placement", "--json")).Output).RootElement.GetProperty("vip")[0];

        var r = Ok(await f.AdminAsync("failover", "virtualservice", "web"));
        var after = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "virtualservice", "web", "placement", "--json")).Output).RootElement.GetProperty("vip")[0];

        Assert.Contains("VS_SWITCHOVER", r.Output, StringComparison.Ordinal);
        Assert.Equal(before.GetProperty("standby_se_ref").GetString(), after.GetProperty("active_se_ref").GetString());
    }

    [Fact]
    public async Task ShowFailover_AfterASwitchover_ListsTheChangeWithItsCauseAndSes()
    {
        await using var f = await LegacyPairAsync();
        var active = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "virtualservice", "web", "placement", "--json")).Output).RootElement.GetProperty("vip")[0].GetProperty("active_se_ref").GetString()!;
        Ok(await f.AdminAsync("failover", "virtualservice", "web"));

        // The history is written after the decision (the group tells the virtual service): wait for it, bounded.
        var r = Ok(await f.ReaderAsync("show", "failover", "web"));
        for (var i = 0; i < 200 && !r.Output.Contains("VS_SWITCHOVER", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            r = Ok(await f.ReaderAsync("show", "failover", "web"));
        }

        var json = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "failover", "web", "--json")).Output).RootElement;

        Assert.Contains("VS_SWITCHOVER", r.Output, StringComparison.Ordinal);
        Assert.Contains("declared dead", r.Output, StringComparison.Ordinal);
        var failover = json.GetProperty("records").EnumerateArray().Last(e => e.TryGetProperty("failover", out var x) && x.GetBoolean());
        Assert.Equal(active, failover.GetProperty("from_se_ref").GetString());
    }

    [Fact]
    public async Task ConfigureJsonObjects_ThenShowPool_ListsServersAndMonitors()
    {
        await using var f = await LegacyPairAsync();

        Ok(await f.AdminAsync("configure", "serviceenginegroup", "pair", "gateway_mon", "{\"gateway_ip\": \"192.0.2.1\", \"gateway_monitor_interval\": 500}"));
        Ok(await f.AdminAsync(
            "configure", "virtualservice", "web",
            "pool_servers", "{\"ip\": \"192.0.2.30\", \"port\": 8080}",
            "pool_health_monitors", "{\"name\": \"hm-http\", \"type\": \"HEALTH_MONITOR_HTTP\", \"http_monitor\": {\"http_request\": \"GET /health HTTP/1.1\"}}"));
        var group = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "serviceenginegroup", "pair", "--json")).Output).RootElement;
        var pool = Ok(await f.ReaderAsync("show", "pool", "web"));
        var bad = await f.AdminAsync("configure", "virtualservice", "web", "pool_health_monitors", "{\"name\": ");

        Assert.Equal(500, group.GetProperty("gateway_mon")[0].GetProperty("gateway_monitor_interval").GetInt32());
        Assert.Contains("health monitors hm-http", pool.Output, StringComparison.Ordinal);
        Assert.Contains("192.0.2.30:8080", pool.Output, StringComparison.Ordinal);
        Assert.Contains("OPER_UNKNOWN", pool.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("is not a JSON HealthMonitor", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailoverServiceEngine_ThenRedistribute_Succeed()
    {
        await using var f = await LegacyPairAsync();
        var active = JsonDocument.Parse(Ok(await f.ReaderAsync("show", "virtualservice", "web", "placement", "--json")).Output).RootElement.GetProperty("vip")[0].GetProperty("active_se_ref").GetString()!;

        Ok(await f.AdminAsync("failover", "serviceengine", active));
        var r = Ok(await f.AdminAsync("redistribute", "serviceenginegroup", "pair", "--json"));

        Assert.NotEqual(JsonValueKind.Undefined, JsonDocument.Parse(r.Output).RootElement.GetProperty("sequence").ValueKind);
    }

    [Fact]
    public async Task Migrate_InLegacy_ExitsRefusedWithReason()
    {
        await using var f = await LegacyPairAsync();

        var r = await f.AdminAsync("migrate", "virtualservice", "web");

        Assert.Equal(5, r.ExitCode);
        Assert.Contains("not allowed now", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ThenShow_NotFound()
    {
        await using var f = await LegacyPairAsync();

        var r = Ok(await f.AdminAsync("delete", "virtualservice", "web"));
        var missing = await f.ReaderAsync("show", "virtualservice", "web");

        Assert.Contains("Deleted virtualservice web", r.Output, StringComparison.Ordinal);
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Count_PrintsSnapshotSyncedAndJsonLines()
    {
        await using var f = await LegacyPairAsync();

        var table = Ok(await f.ReaderAsync("watch", "--count", "2"));
        var json = Ok(await f.ReaderAsync("watch", "--count", "2", "--json"));

        Assert.Contains("CHANGE_TYPE_SNAPSHOT web", table.Output, StringComparison.Ordinal);
        Assert.Contains("CHANGE_TYPE_SYNCED", table.Output, StringComparison.Ordinal);
        var lines = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("CHANGE_TYPE_SYNCED", JsonDocument.Parse(lines[1]).RootElement.GetProperty("change_type").GetString());
    }

    [Fact]
    public async Task Upgrade_PrintsEveryStep()
    {
        await using var f = await LegacyPairAsync();

        var r = Ok(await f.AdminAsync("upgrade", "serviceenginegroup", "pair", "--version", "31.2.1"));

        Assert.Contains("UPGRADE_STARTED pair 0/2", r.Output, StringComparison.Ordinal);
        Assert.Contains("UPGRADE_COMPLETED pair 2/2", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableGateway_ExitsUnavailableNamingTheAddress()
    {
        var r = await CliFixture.Run(["show", "serviceenginegroup", "--gateway", "127.0.0.1:1"], new Dictionary<string, string>());

        Assert.Equal(7, r.ExitCode);
        Assert.Contains("cannot reach the gateway at http://127.0.0.1:1/", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadToken_ExitsAuth()
    {
        await using var f = await CliFixture.StartAsync();

        var r = await f.RunAsync("wrong-token", ["show", "serviceenginegroup"]);
        var none = await f.RunAsync(null, ["show", "serviceenginegroup"]);

        Assert.Equal(6, r.ExitCode);
        Assert.Contains("refused the token", r.Error, StringComparison.Ordinal);
        Assert.Equal(6, none.ExitCode);
    }

    [Fact]
    public async Task ReaderToken_Configure_ExitsAuth()
    {
        await using var f = await CliFixture.StartAsync();

        var r = await f.ReaderAsync("configure", "serviceenginegroup", "g1");

        Assert.Equal(6, r.ExitCode);
        Assert.Contains("admin", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_WithCa_Works_WithoutCa_ExitsUnavailableMentioningTrust()
    {
        using var tls = TlsFiles.Create();
        await using var f = await CliFixture.StartAsync(tls);
        var address = f.Host.Address.Authority;

        var ok = await f.RunAsync(CliFixture.AdminToken, ["show", "serviceenginegroup", "--gateway", address, "--ca", tls.CertificatePath]);
        var untrusted = await f.RunAsync(CliFixture.AdminToken, ["show", "serviceenginegroup", "--gateway", address, "--tls"]);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.True(untrusted.ExitCode == 7, untrusted.ToString());
        Assert.Contains("--ca", untrusted.Error, StringComparison.Ordinal);
    }
}
