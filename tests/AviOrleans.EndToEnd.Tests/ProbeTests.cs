using System.Net;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>The probe sees which host answers a VIP, and the client's ARP entry follow it.</summary>
public sealed class ProbeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Probe_VipAddedOnEachHostInTurn_SeesEachBannerAndTheArpEntryMove()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(cancellationToken: ct);
        var (se1, se2) = (lan.Hosts[0], lan.Hosts[1]);
        var vip = VirtualLan.Vip(0);
        await using var probe = VipProbe.Start(lan.Client, new IPEndPoint(vip, lan.ServicePort));

        await probe.WaitForAsync(a => a.Outcome is ProbeOutcome.TimedOut or ProbeOutcome.Unreachable, Bound, ct);
        se1.AddVip(vip);
        var first = await probe.WaitForAnswerAsync("se1", Bound, cancellationToken: ct);
        se1.RemoveVip(vip);
        var moved = LanTime.Now;
        se2.AddVip(vip);
        var second = await probe.WaitForAnswerAsync("se2", Bound, moved, ct);
        await probe.StopAsync();

        Assert.True(second.Started > first.Completed);
        Assert.Contains(probe.NeighborChanges, n => n.Node == "se1" && n.Mac.Equals(se1.MacAddress));
        var switched = Assert.Single(probe.NeighborChanges, n => n.Node == "se2" && n.Time >= moved && !n.Removed);
        Assert.Equal(se2.MacAddress, switched.Mac);
        Assert.Equal(se2.MacAddress, lan.Client.Neighbor(vip)?.LinkLayerAddress);
        // Nothing else answers a VIP held by one host at a time; the attempts are in completion order, 10 ms apart.
        Assert.All(probe.Attempts.Where(a => a.Outcome == ProbeOutcome.Answered), a => Assert.Contains(a.AnsweredBy, new[] { "se1", "se2" }));
        Assert.DoesNotContain(probe.Attempts, a => a.Started > second.Completed && a.Outcome == ProbeOutcome.Answered && a.AnsweredBy != "se2");
        Assert.True(probe.Attempts.Count > (int)((LanTime.Now - probe.Started) / TimeSpan.FromMilliseconds(10)) / 4, $"{probe.Attempts.Count} attempts");
    }

    [Fact]
    public async Task Probe_VipHeldByNobodyOrWithoutService_ReportsTimedOutAndRefused()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(cancellationToken: ct);
        var vip = VirtualLan.Vip(1);
        lan.Hosts[0].AddVip(vip);

        var refused = await lan.Client.ConnectAsync(new IPEndPoint(vip, lan.ServicePort + 1), Bound, ct);
        var nobody = await lan.Client.ConnectAsync(new IPEndPoint(VirtualLan.Vip(2), lan.ServicePort), TimeSpan.FromMilliseconds(300), ct);

        Assert.Equal(ProbeOutcome.Refused, refused.Outcome);
        Assert.Equal(ProbeOutcome.TimedOut, nobody.Outcome);
    }
}
