using System.Net;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>Each fault injector does what it says, and its undo restores the host.</summary>
public sealed class FaultTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Kill_ProcessOnAHost_DiesBySigkill_OthersKeepRunning()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(cancellationToken: ct);
        var host = lan.Hosts[0];
        var sleeper = host.StartProcess("sleep", ["300"]);
        await Eventually.TrueAsync(() => Tools.State(sleeper.Pid) is 'S', "sleep runs");

        var window = sleeper.Kill();
        await sleeper.Exited.WaitAsync(Bound, ct);

        Assert.Equal(128 + 9, sleeper.ExitCode);
        Assert.True(window.Duration < TimeSpan.FromSeconds(1));
        Assert.True(Tools.IsRunning(host.Banner!.Pid));
        Assert.Equal(ProbeOutcome.Answered, (await lan.Client.ConnectAsync(new IPEndPoint(host.Address, lan.ServicePort), Bound, ct)).Outcome);
    }

    [Fact]
    public async Task KillTree_ParentAndChild_BothDieAndNeitherOutlivesTheOther()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(new LanOptions { StartBanners = false }, ct);
        // A parent that would restart its child if it could (like keepalived's parent and VRRP child).
        var parent = lan.Hosts[0].StartProcess("bash", ["-c", "while true; do sleep 300; done"]);
        await Eventually.TrueAsync(() => parent.ProcessTree().Count == 2, "bash started its child");
        var tree = parent.ProcessTree();

        parent.KillTree();
        await parent.Exited.WaitAsync(Bound, ct);

        await Eventually.TrueAsync(() => tree.All(pid => !Tools.IsRunning(pid)), "the whole tree died");
        Assert.Empty(lan.Hosts[0].ProcessIds());
    }

    [Fact]
    public async Task Freeze_Host_AnswersNothingAndItsProcessesStop_ThawRestoresIt()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(cancellationToken: ct);
        var (se1, se2) = (lan.Hosts[0], lan.Hosts[1]);
        var vip = VirtualLan.Vip(0);
        se1.AddVip(vip);
        var service = new IPEndPoint(se1.Address, lan.ServicePort);
        Assert.Equal("se1", (await lan.Client.ConnectAsync(service, Bound, ct)).Answer);

        await se1.FreezeAsync(ct);

        Assert.Equal('T', Tools.State(se1.Banner!.Pid));
        Assert.Equal(ProbeOutcome.TimedOut, (await lan.Client.ConnectAsync(service, Short, ct)).Outcome);
        Assert.Equal(ProbeOutcome.TimedOut, (await lan.Client.ConnectAsync(new IPEndPoint(vip, lan.ServicePort), Short, ct)).Outcome);
        Assert.Equal(ProbeOutcome.TimedOut, (await se2.ConnectAsync(service, Short, ct)).Outcome);
        Assert.False(se1.ReadInterface().LinkUp);

        await se1.ThawAsync(ct);

        Assert.NotEqual('T', Tools.State(se1.Banner!.Pid));
        await EventuallyAnsweredAsync(lan.Client, service, "se1");
        await EventuallyAnsweredAsync(lan.Client, new IPEndPoint(vip, lan.ServicePort), "se1");
    }

    [Fact]
    public async Task Partition_Host_CutOffFromPeersAndStoreButClientsReachIt_HealRestores()
    {
        Requirements.Require(LanPrerequisites.Nft);
        var ct = TestContext.Current.CancellationToken;
        await using var lan = await VirtualLan.StartAsync(new LanOptions { Hosts = ["se1", "se2", "se3"], Clients = ["cli", "cli2"], StoreConnectionString = null }, ct);
        var (se1, se2, se3) = (lan.Hosts[0], lan.Hosts[1], lan.Hosts[2]);
        var se1Service = new IPEndPoint(se1.Address, lan.ServicePort);
        // The store without a server is still a machine on the LAN: a port with no listener answers with a RST.
        var store = new IPEndPoint(lan.Store.Address, 9);
        Assert.Equal(ProbeOutcome.Refused, (await se1.ConnectAsync(store, Bound, ct)).Outcome);

        await se1.PartitionAsync(ct);

        Assert.Equal(ProbeOutcome.TimedOut, (await se2.ConnectAsync(se1Service, Short, ct)).Outcome);
        Assert.Equal(ProbeOutcome.TimedOut, (await se3.ConnectAsync(se1Service, Short, ct)).Outcome);
        Assert.Equal(ProbeOutcome.TimedOut, (await se1.ConnectAsync(new IPEndPoint(se2.Address, lan.ServicePort), Short, ct)).Outcome);
        Assert.Equal(ProbeOutcome.TimedOut, (await se1.ConnectAsync(store, Short, ct)).Outcome);
        Assert.Equal("se1", (await lan.Clients[0].ConnectAsync(se1Service, Bound, ct)).Answer);
        Assert.Equal("se1", (await lan.Clients[1].ConnectAsync(se1Service, Bound, ct)).Answer);
        Assert.Equal("se3", (await se2.ConnectAsync(new IPEndPoint(se3.Address, lan.ServicePort), Bound, ct)).Answer);

        await se1.HealAsync(ct);

        await EventuallyAnsweredAsync(se2, se1Service, "se1");
        await EventuallyAnsweredAsync(se1, new IPEndPoint(se2.Address, lan.ServicePort), "se2");
        Assert.Equal(ProbeOutcome.Refused, (await se1.ConnectAsync(store, Bound, ct)).Outcome);
    }

    private static async Task EventuallyAnsweredAsync(LanNode from, IPEndPoint to, string host)
    {
        // A neighbour entry that failed while the fault lasted is resolved again on the next attempts.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        ConnectResult result;
        do
        {
            result = await from.ConnectAsync(to, Short, TestContext.Current.CancellationToken);
        }
        while (result.Answer != host && DateTime.UtcNow < deadline);

        Assert.Equal(host, result.Answer);
    }
}
