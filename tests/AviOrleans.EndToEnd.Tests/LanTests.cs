using System.Net;
using System.Net.NetworkInformation;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>The LAN itself: it comes up as described, reaches its store, and goes away without leftovers.</summary>
public sealed class LanTests
{
    [Fact]
    public async Task Lan_Started_EveryHostAnswersWithItsNameFromTheClient()
    {
        Requirements.Require();
        await using var lan = await VirtualLan.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        foreach (var host in lan.Hosts)
        {
            var result = await lan.Client.ConnectAsync(new IPEndPoint(host.Address, lan.ServicePort), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

            Assert.Equal(new ConnectResult(ProbeOutcome.Answered, host.Name, null), result);
        }

        Assert.All(lan.Namespaces, ns => Assert.True(File.Exists("/var/run/netns/" + ns), ns));
        Assert.Equal(PhysicalAddress.Parse("02:00:00:00:00:11"), lan.Hosts[0].MacAddress);
        Assert.Equal(lan.Hosts[0].MacAddress, lan.Hosts[0].Netlink.GetLink("eth0").MacAddress);
    }

    [Fact]
    public async Task Lan_Disposed_LeavesNoNamespaceProcessOrFolder()
    {
        Requirements.Require();
        var lan = await VirtualLan.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var namespaces = lan.Namespaces;
        var pids = lan.Hosts.SelectMany(h => h.ProcessIds()).ToList();
        var folder = lan.WorkDirectory;
        Assert.NotEmpty(pids);

        await lan.DisposeAsync();

        Assert.All(namespaces, ns => Assert.False(File.Exists("/var/run/netns/" + ns), ns));
        Assert.All(pids, pid => Assert.False(Tools.IsRunning(pid), $"process {pid} is still running"));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Store_FromEveryHost_PostgreSqlAnswersOverTheBridge()
    {
        Requirements.Require();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(LanOptions.PostgresVariable)))
        {
            var message = $"{LanOptions.PostgresVariable} is not set (scripts/test.sh starts PostgreSQL and sets it).";
            if (Requirements.IsCi)
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        await using var lan = await VirtualLan.StartAsync(new LanOptions { Hosts = ["se1", "se2", "se3"] }, TestContext.Current.CancellationToken);

        foreach (var host in lan.Hosts)
        {
            Assert.Equal((byte)'N', await PostgreSql.SslRequestAsync(host, lan.Store.Endpoint, TestContext.Current.CancellationToken));
        }

        Assert.Contains("Host=192.0.2.2", lan.Store.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Port=5432", lan.Store.ConnectionString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Store_StoppedThenResumed_RefusesWhileStopped_AnswersAgain()
    {
        Requirements.Require();
        Requirements.RequireStore();
        await using var lan = await VirtualLan.StartAsync(new LanOptions { Hosts = ["se1"] }, TestContext.Current.CancellationToken);
        var host = lan.Hosts[0];
        var relay = lan.Store.RelayPid;

        var stopped = await lan.Store.StopServingAsync();
        var refused = await host.ConnectAsync(lan.Store.Endpoint, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await lan.Store.ResumeServingAsync();

        // Stopped: nothing listens on the store's port (the relay process is gone); resumed: PostgreSQL answers again.
        Assert.NotNull(relay);
        Assert.True(stopped.Completed >= stopped.Started);
        Assert.Equal(ProbeOutcome.Refused, refused.Outcome);
        Assert.Equal((byte)'N', await PostgreSql.SslRequestAsync(host, lan.Store.Endpoint, TestContext.Current.CancellationToken));
        Assert.NotEqual(relay, lan.Store.RelayPid);
    }
}
