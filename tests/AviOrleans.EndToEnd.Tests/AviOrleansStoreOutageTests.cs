using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan;
using Grpc.Core;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// PostgreSQL stopped for 30 seconds under a running pair (every connection closed, the port refusing): the VIPs stay
/// where they are and keep serving (the silos vouch for each other through their datapath heartbeats), configuration
/// changes fail with UNAVAILABLE and a message naming the store, and once it is back everything resumes; nothing
/// acknowledged before the outage is lost, and nothing refused during it appears.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class AviOrleansStoreOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StoreDown30s_VipsStay_ChangesUnavailable_AllResumes_NothingLost()
    {
        var vip = VirtualLan.Vip(0);
        await using var lan = await SiloLan.CreateAsync(["se1", "se2"], $$"""
            {
              "serviceenginegroup": [ { "name": "pair", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY" } ],
              "serviceengine": [ { "name": "se1", "se_group_ref": "pair" }, { "name": "se2", "se_group_ref": "pair" } ],
              "virtualservice": [ { "name": "vs1", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{vip}}" } ] } ]
            }
            """);
        await lan.StartAsync("se1", "se2");
        await lan.PlacementAsync("vs1", p => p.State == PlacementState.Placed && p.Vip[0].ActiveSeRef == "se1", "vs1 active on se1");
        await lan.VipOnAsync(vip, "se1");
        var acknowledged = await lan.VirtualServices().CreateVirtualServiceAsync(Create("before", VirtualLan.Vip(1)), cancellationToken: SiloLan.Ct);
        await lan.VipOnAsync(VirtualLan.Vip(1), "se1");
        await using var sampler = OwnershipSampler.Start(lan.Lan, [vip, VirtualLan.Vip(1)]);
        await using var probe = VipProbe.Start(lan.Lan.Client, new IPEndPoint(vip, lan.Lan.ServicePort));
        await probe.WaitForAnswerAsync("se1", TimeSpan.FromSeconds(15), cancellationToken: SiloLan.Ct);

        var down = await lan.Lan.Store.StopServingAsync();
        RpcException refused;
        try
        {
            // A change while the store is down: refused, clearly, and not applied later.
            await Task.Delay(TimeSpan.FromSeconds(2), SiloLan.Ct);
            refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await lan.VirtualServices().CreateVirtualServiceAsync(Create("during", VirtualLan.Vip(2)), deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: SiloLan.Ct));
            var rest = Outage - (LanTime.Now - down.Started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, SiloLan.Ct);
            }
        }
        finally
        {
            await lan.Lan.Store.ResumeServingAsync();
        }

        var up = LanTime.Now;
        // Once the store is back the cluster takes changes again (the first calls may still meet closed connections).
        var after = await Retry(() => lan.VirtualServices().CreateVirtualServiceAsync(Create("after", VirtualLan.Vip(3)), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: SiloLan.Ct).ResponseAsync);
        await lan.VipOnAsync(VirtualLan.Vip(3), "se1");
        await probe.StopAsync();
        await sampler.StopAsync();

        Assert.True(refused.StatusCode == StatusCode.Unavailable, refused.Status + "\n" + lan.Cluster.Describe(80));
        Assert.Contains("store", refused.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("after", after.Name);
        // The VIPs never left se1 during the outage, and never were on two hosts.
        lan.AssertNoDuplicate(sampler, sampler.Samples[0].Started);
        Assert.All(sampler.Samples.Where(s => s.Started >= down.Started && s.Completed <= up), s => Assert.Equal(["se1"], s.Owners(vip)));
        Assert.All(sampler.Samples.Where(s => s.Started >= down.Started && s.Completed <= up), s => Assert.Equal(["se1"], s.Owners(VirtualLan.Vip(1))));
        Assert.All(probe.Attempts.Where(a => a.Started >= down.Started && a.Completed <= up), a => Assert.True(a.IsAnsweredBy("se1"), VipProbe.Describe([a])));
        // Acknowledged before: still there; refused during: absent.
        var names = (await lan.VirtualServices().ListVirtualServicesAsync(new(), cancellationToken: SiloLan.Ct)).VirtualServices.Select(v => v.Name).ToList();
        Assert.Contains(acknowledged.Name, names);
        Assert.Contains("vs1", names);
        Assert.DoesNotContain("during", names);
        Assert.Empty(lan.Owners(VirtualLan.Vip(2)));
    }

    private static CreateVirtualServiceRequest Create(string name, IPAddress vip) =>
        new() { VirtualService = new VirtualService { Name = name, SeGroupRef = "pair", Vip = { new Vip { VipId = "0", IpAddress = vip.ToString() } } } };

    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException ex) when (SiloLan.IsTransient(ex) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, SiloLan.Ct);
            }
        }
    }
}
