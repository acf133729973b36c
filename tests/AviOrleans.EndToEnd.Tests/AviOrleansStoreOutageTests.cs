using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan;
using Grpc.Core;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// The store (PostgreSQL on the LAN's store node) stops serving for 30 s under a running legacy pair: the VIPs stay
/// where they are and keep answering (the SEs vouch for each other by datapath heartbeats while no lease can be
/// renewed), every configuration change in the meantime gets UNAVAILABLE saying the store is away and changes nothing,
/// and once the store is back, changes are accepted again, nothing acknowledged is missing, and the pair still fails
/// over.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class AviOrleansStoreOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Vip1 = VirtualLan.Vip(0);
    private static readonly IPAddress Vip2 = VirtualLan.Vip(1);
    private static readonly IPAddress Vip3 = VirtualLan.Vip(2);

    [Fact]
    public async Task StoreStopped30s_VipsStayAndAnswer_ChangesUnavailable_AllResumes_NothingAcknowledgedLost()
    {
        await using var lan = await SiloLan.CreateAsync(["se1", "se2"], Pair);
        await lan.StartAsync("se1", "se2");
        await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se1" && p.Vip[0].StandbySeRef == "se2", "vs1 active on se1");
        var virtualServices = lan.VirtualServices("se2");

        // Acknowledged before the outage.
        await virtualServices.CreateVirtualServiceAsync(Create("before", Vip2), cancellationToken: SiloLan.Ct);
        await lan.PlacementAsync("before", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se1", "before active on se1 (compacted)");
        await lan.VipOnAsync(Vip1, "se1");
        await lan.VipOnAsync(Vip2, "se1");
        await using var sampler = OwnershipSampler.Start(lan.Lan, [Vip1, Vip2, Vip3]);
        await using var probe = VipProbe.Start(lan.Lan.Client, new IPEndPoint(Vip1, lan.Lan.ServicePort));
        await probe.WaitForAnswerAsync("se1", TimeSpan.FromSeconds(15), cancellationToken: SiloLan.Ct);

        var outage = await lan.Lan.Store.StopServingAsync();
        var rejected = new List<string>();
        var firstRefusal = string.Empty;
        while (LanTime.Now - outage.Started < Outage)
        {
            // A create through either gateway, and an operation that would move a VIP: neither may happen.
            var name = $"during-{rejected.Count}";
            var create = await Assert.ThrowsAsync<RpcException>(() => lan.VirtualServices(rejected.Count % 2 == 0 ? "se1" : "se2")
                .CreateVirtualServiceAsync(Create(name, Vip3), deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: SiloLan.Ct).ResponseAsync);
            AssertStoreUnavailable(create, $"creating {name}");
            firstRefusal = firstRefusal.Length > 0 ? firstRefusal : create.Status.Detail;
            rejected.Add(name);
            var switchover = await Assert.ThrowsAsync<RpcException>(() => lan.Ha("se2")
                .SwitchoverVirtualServiceAsync(new() { VirtualServiceRef = "vs1" }, deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: SiloLan.Ct).ResponseAsync);
            AssertStoreUnavailable(switchover, "switching vs1 over");
            await Task.Delay(TimeSpan.FromSeconds(2), SiloLan.Ct);
        }

        var stillServing = LanTime.Now;
        await lan.Lan.Store.ResumeServingAsync();
        var resumed = LanTime.Now;

        // The VIPs never moved and vs1's never stopped answering from se1 while the store was away.
        Assert.All(sampler.Samples.Where(s => s.Started >= outage.Started && s.Completed <= stillServing), s =>
        {
            Assert.Equal(["se1"], s.Owners(Vip1));
            Assert.Equal(["se1"], s.Owners(Vip2));
            Assert.Empty(s.Owners(Vip3));
        });
        var during = probe.Attempts.Where(a => a.Started >= outage.Started && a.Completed <= stillServing).ToList();
        Assert.True(during.Count > 100, $"only {during.Count} probe attempts during the outage");
        Assert.All(during, a => Assert.True(a.IsAnsweredBy("se1"), VipProbe.Describe([a])));

        // Changes are accepted again once the store is back (the first calls may still meet connections the stop broke).
        var acceptedAfter = await CreateOnceStoreIsBackAsync(virtualServices, Create("after", Vip3));
        await lan.PlacementAsync("after", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se1", "after placed once the store is back");
        await lan.VipOnAsync(Vip3, "se1");
        TestContext.Current.SendDiagnosticMessage($"store away {(resumed - outage.Started).TotalSeconds:F1} s; {rejected.Count} creates and as many switchovers refused (\"{firstRefusal}\"); first change accepted {(acceptedAfter - resumed).TotalMilliseconds:F0} ms after the store was back");

        // Everything acknowledged is there, nothing refused is.
        var names = (await virtualServices.ListVirtualServicesAsync(new() { PageSize = 1000 }, cancellationToken: SiloLan.Ct)).VirtualServices.Select(v => v.Name).ToList();
        Assert.Equal(["after", "before", "vs1"], names);
        var vs1 = await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed, "vs1 still placed");
        Assert.Equal("se1", vs1.Vip[0].ActiveSeRef);

        // And the pair still fails over: every VIP moves to se2 when se1's silo dies.
        var kill = lan.Cluster.Kill(lan.Host("se1"));
        await lan.AnsweredByAsync(probe, "se2", kill.Started);
        await lan.VipOnAsync(Vip2, "se2");
        await lan.VipOnAsync(Vip3, "se2");
        await sampler.StopAsync();
        lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
    }

    private static void AssertStoreUnavailable(RpcException ex, string what)
    {
        Assert.True(ex.StatusCode == StatusCode.Unavailable, $"{what}: {ex.Status} (expected UNAVAILABLE)");
        Assert.Contains("store", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<LanTime> CreateOnceStoreIsBackAsync(VirtualServiceService.VirtualServiceServiceClient client, CreateVirtualServiceRequest request)
    {
        var deadline = LanTime.Now + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await client.CreateVirtualServiceAsync(request, deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: SiloLan.Ct);
                return LanTime.Now;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && LanTime.Now < deadline)
            {
                await Task.Delay(200, SiloLan.Ct);
            }
        }
    }

    private static CreateVirtualServiceRequest Create(string name, IPAddress vip) => new()
    {
        VirtualService = new VirtualService { Name = name, SeGroupRef = "pair", Vip = { new Vip { VipId = "0", IpAddress = vip.ToString() } } },
    };

    private static readonly string Pair = $$"""
        {
          "serviceenginegroup": [ { "name": "pair", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY" } ],
          "serviceengine": [
            { "name": "se1", "se_group_ref": "pair" },
            { "name": "se2", "se_group_ref": "pair" }
          ],
          "virtualservice": [
            { "name": "vs1", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{Vip1}}" } ] }
          ]
        }
        """;
}
