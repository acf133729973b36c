using System.Net;
using System.Net.NetworkInformation;
using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>The LAN itself: it comes up as described, and goes away without leftovers, also after a crashed run.</summary>
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
    public async Task Janitor_LeftoversOfADeadRun_RemovedWithTheirProcesses_LiveRunsKept()
    {
        Requirements.Require();
        var ct = TestContext.Current.CancellationToken;
        // A dead owner: a PID that exited (any start time other than its own will do).
        using var exited = System.Diagnostics.Process.Start("true")!;
        await exited.WaitForExitAsync(ct);
        var dead = new LanRunName(exited.Id, 1, "dead01");
        var live = LanRunName.New();
        var deadNamespace = dead.Namespace("se1");
        var liveNamespace = live.Namespace("se1");
        var deadFolder = Path.Combine(Path.GetTempPath(), dead.ToString());
        await Run("ip", "netns", "add", deadNamespace);
        await Run("ip", "netns", "add", liveNamespace);
        Directory.CreateDirectory(deadFolder);
        using var orphan = System.Diagnostics.Process.Start("ip", ["netns", "exec", deadNamespace, "sleep", "300"]);
        try
        {
            await Eventually.TrueAsync(() => File.Exists($"/proc/{orphan.Id}/ns/net") && new FileInfo($"/proc/{orphan.Id}/ns/net").LinkTarget != new FileInfo("/proc/self/ns/net").LinkTarget, "the process entered the namespace");

            var removed = await LanJanitor.RemoveStaleAsync(ct);

            Assert.Contains(deadNamespace, removed);
            Assert.False(File.Exists("/var/run/netns/" + deadNamespace));
            Assert.False(Directory.Exists(deadFolder));
            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(10)), "the process left in the dead run's namespace was not killed");
            Assert.True(File.Exists("/var/run/netns/" + liveNamespace), "a namespace of a live run was removed");
        }
        finally
        {
            await Run("ip", "netns", "del", liveNamespace);
            if (!orphan.HasExited)
            {
                orphan.Kill();
            }
        }
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

    private static Task<string> Run(string file, params string[] arguments) => Tools.RunAsync(file, arguments);
}
