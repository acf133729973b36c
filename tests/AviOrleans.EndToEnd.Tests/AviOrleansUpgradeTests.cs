using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// A rolling upgrade (avi.v1 <c>UpgradeServiceEngineGroup</c>) while a client connects to every VIP every 10 ms: one
/// SE at a time, its virtual services moved away first, then its silo restarted by the harness's supervisor (as
/// systemd's Restart=on-failure does) on the version "installed" on every host; every VIP served at the end, never on
/// two hosts, and every SE at the new version. The interruption each VIP saw (the longest run of unanswered
/// connections) is written to the test output; its size is the bench's business. A supervisor that starts the old
/// version again fails the SE's upgrade and suspends the group's. The upgrade runs in the cluster, not in the gateway
/// that was called: the legacy pair's is followed through the SEs' own gateways, each going away when its SE restarts.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class AviOrleansUpgradeTests
{
    // A silo that is no SE of the group (as the gateway Deployment): its gateway lists the SEs, and follows the
    // active/active upgrade and the failed one.
    private const string Driver = "ctl";

    [Fact]
    public async Task LegacyPair_RollingUpgradeUnderTraffic_EverySeUpgraded_VipsServed_NoDuplicate()
    {
        IPAddress[] vips = [VirtualLan.Vip(0), VirtualLan.Vip(1)];
        var configuration = $$"""
            {
              "serviceenginegroup": [ { "name": "pair", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY", "distribute_load_active_standby": true } ],
              "serviceengine": [ { "name": "se1", "se_group_ref": "pair" }, { "name": "se2", "se_group_ref": "pair" } ],
              "virtualservice": [
                { "name": "vs1", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{vips[0]}}" } ], "active_standby_se_tag": "ACTIVE_STANDBY_SE_1" },
                { "name": "vs2", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{vips[1]}}" } ], "active_standby_se_tag": "ACTIVE_STANDBY_SE_2" }
              ]
            }
            """;

        await UpgradeUnderTrafficAsync(configuration, "pair", ["vs1", "vs2"], vips, followedThrough: ["se1", "se2"]);
    }

    [Fact]
    public async Task ActiveActive_RollingUpgradeUnderTraffic_EverySeUpgraded_VipsServed_NoDuplicate()
    {
        IPAddress[] vips = [VirtualLan.Vip(0), VirtualLan.Vip(1)];
        var configuration = $$"""
            {
              "serviceenginegroup": [ { "name": "aa", "ha_mode": "HA_MODE_SHARED_PAIR", "min_scaleout_per_vs": 1, "buffer_se": 0, "vs_scalein_timeout": 1, "vs_scalein_timeout_for_upgrade": 1 } ],
              "serviceengine": [ { "name": "se1", "se_group_ref": "aa" }, { "name": "se2", "se_group_ref": "aa" } ],
              "virtualservice": [
                { "name": "vs1", "se_group_ref": "aa", "vip": [ { "vip_id": "0", "ip_address": "{{vips[0]}}" } ] },
                { "name": "vs2", "se_group_ref": "aa", "vip": [ { "vip_id": "0", "ip_address": "{{vips[1]}}" } ] }
              ]
            }
            """;

        await UpgradeUnderTrafficAsync(configuration, "aa", ["vs1", "vs2"], vips, followedThrough: [Driver]);
    }

    [Fact]
    public async Task LegacyPair_SupervisorStartsTheOldVersion_SeFailed_UpgradeSuspended_VipsServed()
    {
        IPAddress[] vips = [VirtualLan.Vip(0)];
        await using var lan = await SiloLan.CreateAsync(["se1", "se2", Driver], $$"""
            {
              "serviceenginegroup": [ { "name": "pair", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY" } ],
              "serviceengine": [ { "name": "se1", "se_group_ref": "pair" }, { "name": "se2", "se_group_ref": "pair" } ],
              "virtualservice": [ { "name": "vs1", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{vips[0]}}" } ] } ]
            }
            """);
        await lan.StartAsync("se1", "se2", Driver);
        var before = await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed, "vs1 placed");
        await lan.VipOnAsync(vips[0], before.Vip[0].ActiveSeRef);

        // Nothing new installed: the supervisor starts the same build again.
        var progress = new List<UpgradeProgress>();
        using var call = lan.Ha(Driver).UpgradeServiceEngineGroup(new() { SeGroupRef = "pair", Version = "2.0" }, deadline: DateTime.UtcNow.AddMinutes(4), cancellationToken: SiloLan.Ct);
        while (await call.ResponseStream.MoveNext(SiloLan.Ct))
        {
            progress.Add(call.ResponseStream.Current);
        }

        var after = await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed, "vs1 placed after the failed upgrade");
        await lan.VipOnAsync(vips[0], after.Vip[0].ActiveSeRef);
        var failed = Assert.Single(progress, p => p.State == UpgradeState.UpgradeSeFailed);
        var engines = (await new ServiceEngineService.ServiceEngineServiceClient(lan.Gateway(Driver)).ListServiceEnginesAsync(new(), cancellationToken: SiloLan.Ct)).ServiceEngines;

        Assert.Equal(UpgradeState.UpgradeSuspended, progress[^1].State);
        Assert.Contains("came back running", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(progress, p => p.State == UpgradeState.UpgradeSeDone);
        Assert.All(engines, se =>
        {
            Assert.NotEqual("2.0", se.Version);
            Assert.Equal(OperState.OperUp, se.OperStatus.State);
        });
    }

    private static async Task UpgradeUnderTrafficAsync(string configuration, string group, string[] virtualServices, IPAddress[] vips, string[] followedThrough)
    {
        await using var lan = await SiloLan.CreateAsync(["se1", "se2", Driver], configuration);
        await lan.StartAsync("se1", "se2", Driver);
        foreach (var (vs, vip) in virtualServices.Zip(vips))
        {
            var placement = await lan.PlacementAsync(vs, p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef != "", $"{vs} placed");
            await lan.VipOnAsync(vip, placement.Vip[0].ActiveSeRef);
        }

        // Every SE up before the upgrade starts (an SE that is down is not upgraded, and says so).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await new ServiceEngineService.ServiceEngineServiceClient(lan.Gateway(Driver)).ListServiceEnginesAsync(new(), cancellationToken: SiloLan.Ct)).ServiceEngines
            .Any(se => se.OperStatus.State != OperState.OperUp))
        {
            Assert.True(DateTime.UtcNow < deadline, "every SE up before the upgrade\n" + lan.Cluster.Describe());
            await Task.Delay(200, SiloLan.Ct);
        }

        await using var sampler = OwnershipSampler.Start(lan.Lan, vips);
        var probes = vips.Select(v => VipProbe.Start(lan.Lan.Client, new IPEndPoint(v, lan.Lan.ServicePort))).ToList();
        try
        {
            foreach (var probe in probes)
            {
                await probe.WaitForAsync(a => a.Outcome == ProbeOutcome.Answered, TimeSpan.FromSeconds(15), SiloLan.Ct);
            }

            // The operator installed 2.0 on every host: each silo the upgrade restarts comes back at that version.
            lan.Cluster.InstalledVersion = "2.0";
            var started = LanTime.Now;
            var (progress, calls) = await FollowUpgradeAsync(lan, group, followedThrough);
            var finished = LanTime.Now;
            var owners = new List<string>();
            for (var i = 0; i < vips.Length; i++)
            {
                var placement = await lan.PlacementAsync(virtualServices[i], p => p.State == PlacementState.Placed, $"{virtualServices[i]} placed after the upgrade");
                await lan.VipOnAsync(vips[i], placement.Vip[0].ActiveSeRef);
                owners.Add(placement.Vip[0].ActiveSeRef);
                await probes[i].WaitForAnswerAsync(owners[i], TimeSpan.FromSeconds(15), finished, SiloLan.Ct);
            }

            await sampler.StopAsync();
            var engines = await new ServiceEngineService.ServiceEngineServiceClient(lan.Gateway(Driver)).ListServiceEnginesAsync(new(), cancellationToken: SiloLan.Ct);

            Assert.Equal(UpgradeState.UpgradeCompleted, progress[^1].State);
            Assert.DoesNotContain(progress, p => p.State is UpgradeState.UpgradeSeFailed or UpgradeState.UpgradeSuspended);
            Assert.Single(progress, p => p.State == UpgradeState.UpgradeStarted);
            Assert.Equal(2, progress.Count(p => p.State == UpgradeState.UpgradeSeDone));
            if (followedThrough.Length > 1)
            {
                // The first gateway went away with its SE, at the latest: the upgrade was followed through another.
                Assert.True(calls > 1, $"{calls} call(s)");
            }

            Assert.All(engines.ServiceEngines, se => Assert.Equal("2.0", se.Version));
            lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
            for (var i = 0; i < vips.Length; i++)
            {
                var attempts = probes[i].Attempts.Where(a => a.Started >= started && a.Completed <= finished).ToList();
                TestContext.Current.SendDiagnosticMessage($"{vips[i]}: {attempts.Count} connections during the upgrade, {attempts.Count(a => a.Outcome != ProbeOutcome.Answered)} unanswered, longest gap {LongestGap(attempts).TotalMilliseconds:0} ms");
            }
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync();
            }
        }
    }

    // Follows the upgrade to its end. Each call replays the run from its start; a call whose gateway went away (its SE
    // restarting for the upgrade) is made again through the next. The reports of the last call, and how many calls.
    private static async Task<(List<UpgradeProgress> Progress, int Calls)> FollowUpgradeAsync(SiloLan lan, string group, string[] gateways)
    {
        var ended = new List<string>();
        for (var call = 1; call <= 30; call++)
        {
            var gateway = gateways[(call - 1) % gateways.Length];
            var progress = new List<UpgradeProgress>();
            try
            {
                using var stream = lan.Ha(gateway).UpgradeServiceEngineGroup(new() { SeGroupRef = group, Version = "2.0" }, deadline: DateTime.UtcNow.AddMinutes(4), cancellationToken: SiloLan.Ct);
                while (await stream.ResponseStream.MoveNext(SiloLan.Ct))
                {
                    progress.Add(stream.ResponseStream.Current);
                }

                TestContext.Current.SendDiagnosticMessage($"upgrade followed to its end through {gateway}, after: {string.Join("; ", ended)}");
                return (progress, call);
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode is not (Grpc.Core.StatusCode.InvalidArgument or Grpc.Core.StatusCode.FailedPrecondition or Grpc.Core.StatusCode.NotFound))
            {
                ended.Add($"{gateway}: {ex.StatusCode} after {progress.Count} report(s)");
                await Task.Delay(500, SiloLan.Ct);
            }
        }

        Assert.Fail($"The upgrade could not be followed to its end: {string.Join("; ", ended)}\n{lan.Cluster.Describe(40)}");
        return default;
    }

    // From the start of the first unanswered connection of a run to the completion of the next answered one.
    private static TimeSpan LongestGap(IReadOnlyList<ProbeAttempt> attempts)
    {
        var longest = TimeSpan.Zero;
        LanTime? gapStart = null;
        foreach (var attempt in attempts.OrderBy(a => a.Started))
        {
            if (attempt.Outcome != ProbeOutcome.Answered)
            {
                gapStart ??= attempt.Started;
            }
            else if (gapStart is { } start)
            {
                longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (attempt.Completed - start).Ticks));
                gapStart = null;
            }
        }

        return longest;
    }
}
