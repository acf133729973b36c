using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>The ownership sampler sees who holds a VIP and flags a VIP held twice.</summary>
public sealed class SamplerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sampler_VipPutOnTwoHosts_FlagsDuplicateWithBothHostsAndTimes()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(new LanOptions { Hosts = ["se1", "se2", "se3"], StartBanners = false }, ct);
        var (vip, single) = (VirtualLan.Vip(0), VirtualLan.Vip(1));
        await using var sampler = OwnershipSampler.Start(lan, [vip, single]);
        lan.Hosts[2].AddVip(single, announce: false);
        var singleAdded = LanTime.Now;
        lan.Hosts[0].AddVip(vip, announce: false);
        await sampler.WaitForAsync(s => s.Owners(vip).Count == 1, Bound, ct);

        var doubled = LanTime.Now;
        lan.Hosts[1].AddVip(vip, announce: false);
        await sampler.WaitForAsync(s => s.Started > doubled && s.Owners(vip).Count == 2, Bound, ct);
        lan.Hosts[1].RemoveVip(vip);
        var undone = LanTime.Now;
        // At least five samples in all, however slowly a loaded machine lets the sampler run.
        await sampler.WaitForAsync(s => s.Started > undone && sampler.Samples.Count >= 5, Bound, ct);
        await sampler.StopAsync();

        var duplicates = sampler.Duplicates();
        Assert.NotEmpty(duplicates);

        // A sample already under way when the address was doubled may read se2 after the add: it is stamped with its
        // start, which can be a little before `doubled`.
        var earliest = sampler.Samples.LastOrDefault(s => s.Started <= doubled)?.Started ?? doubled;
        Assert.All(duplicates, d =>
        {
            Assert.Equal(vip, d.Vip);
            Assert.Equal(["se1", "se2"], d.Hosts);
            Assert.InRange(d.Time.Timestamp, earliest.Timestamp, undone.Timestamp);
        });
        Assert.Empty(sampler.Duplicates(from: undone));
        Assert.All(sampler.Samples.Where(s => s.Started > undone), s => Assert.Equal(["se1"], s.Owners(vip)));
        // The sampler runs from before the adds: a sample that started earlier may not have seen it yet.
        Assert.All(sampler.Samples.Where(s => s.Started > singleAdded), s => Assert.Equal(["se3"], s.Owners(single)));
    }

    [Fact]
    public async Task Sampler_VipOnAFrozenHostAndOnAnother_NotADuplicate_LinkDownCannotAnswer()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(new LanOptions { StartBanners = false }, ct);
        var vip = VirtualLan.Vip(0);
        await using var sampler = OwnershipSampler.Start(lan, [vip]);
        lan.Hosts[0].AddVip(vip, announce: false);
        await lan.Hosts[0].FreezeAsync(ct);
        lan.Hosts[1].AddVip(vip, announce: false);

        var sample = await sampler.WaitForAsync(s => s.Hosts[1].Vips.Contains(vip), Bound, ct);

        Assert.False(sample.Hosts[0].LinkUp);
        Assert.Contains(vip, sample.Hosts[0].Vips);
        Assert.Equal(["se2"], sample.Owners(vip));
        await lan.Hosts[0].ThawAsync(ct);
    }

    [Fact]
    public async Task Sampler_ClientArpView_NamesTheHostTheVipResolvesTo()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(cancellationToken: ct);
        var vip = VirtualLan.Vip(0);
        await using var sampler = OwnershipSampler.Start(lan, [vip]);
        lan.Hosts[1].AddVip(vip);

        await lan.Client.ConnectAsync(new System.Net.IPEndPoint(vip, lan.ServicePort), Bound, ct);
        var sample = await sampler.WaitForAsync(s => s.ClientArp.Any(e => e.Node == "se2"), Bound, ct);

        var entry = Assert.Single(sample.ClientArp);
        Assert.Equal(("cli", lan.Hosts[1].MacAddress), (entry.Client, entry.Mac));
    }
}
