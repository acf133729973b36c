using AviOrleans.Testing.Lan;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>What a crashed run left behind is removed by the next one, and only that. Runs alone (<see cref="RunsAlone"/>).</summary>
[Collection(nameof(RunsAlone))]
public sealed class LanJanitorTests
{
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
        await Tools.RunAsync("ip", "netns", "add", deadNamespace);
        await Tools.RunAsync("ip", "netns", "add", liveNamespace);
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
            await Tools.RunAsync("ip", "netns", "del", liveNamespace);
            if (!orphan.HasExited)
            {
                orphan.Kill();
            }
        }
    }
}
