using AviOrleans.Testing.Lan;
using AviOrleans.Testing.Lan.Failover;
using AviOrleans.Testing.Lan.Silos;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// AviOrleans' legacy active/standby pair on the LAN, through the same failover scenario as keepalived
/// (<see cref="FailoverScenarioTests"/>): real <c>aviorleans-silo</c> processes in the host namespaces, PostgreSQL
/// through the LAN's store, the VIP added and removed by the silos' netlink data plane, a client probing it every 10 ms
/// and a second client whose ARP entry stays pinned to the old host. Unlike VRRP, no fault may leave the VIP on two
/// live hosts, and the old host must stop answering for it. Times are the bench's (bench/results/failover.md).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class AviOrleansFailoverTests
{
    [Fact]
    public async Task Legacy_ActiveSiloKilled_SurvivorServes_OldHostStopsAnswering_NoDuplicate()
    {
        var output = Path.Combine(Path.GetTempPath(), "aviorleans-kill-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await RunAsync(FailoverFault.AgentKill, output);
        var survivor = File.ReadAllText(Directory.GetFiles(output, "*-se2-*.log").Single());
        Directory.Delete(output, recursive: true);

        // The guard child of the killed silo withdraws its addresses: the client pinned to the old host's MAC gets no
        // answer from it any more (the banner still runs there), unlike keepalived's.
        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(0, result.DuplicateSamples);
        Assert.False(result.OldHostStillAnswering, Describe(result));
        Assert.NotNull(result.ArpSwitch);
        // The survivor did not wait out the killed silo's silence: the refused silo port declared it dead.
        Assert.Contains("its host refuses connections to the silo port", survivor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Legacy_ActiveSiloKilledAsAContainersChild_ItsGuardOutlivesIt_NoDuplicate()
    {
        // Each silo as a container's main process: the first of its own PID namespace, where the kernel kills every
        // process once that one exits. aviorleans-silo then runs the silo as its child and waits for the guard.
        // Were the guard killed with the silo, the VIP would stay on the old host for its kernel lifetime (3-4 s) while
        // the survivor takes it over 0.7 s after the silo's last lease renewal: duplicate samples, and the old host
        // answering the client pinned to it.
        var result = await RunAsync(FailoverFault.AgentKill, inPidNamespace: true);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(0, result.DuplicateSamples);
        Assert.False(result.OldHostStillAnswering, Describe(result));
    }

    [Fact]
    public async Task Legacy_ActiveHostFrozen_SurvivorServes_NoDuplicate()
    {
        var result = await RunAsync(FailoverFault.HostFreeze);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(0, result.DuplicateSamples);
        // A frozen host answers nothing: at most a connection in flight when the SIGSTOPs landed (a loaded machine
        // delivers them a few milliseconds late).
        Assert.DoesNotContain(result.Attempts, a => a.IsAnsweredBy("se1") && a.Started - result.FaultWindow.Completed > TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Legacy_ActivePartitioned_FencesItself_SurvivorServes_NoDuplicate()
    {
        Requirements.Require(LanPrerequisites.Nft);
        var result = await RunAsync(FailoverFault.Partition);

        // Cut off from its peer and the store, the old active still reaches the clients: it must withdraw the VIP
        // itself (its fencing deadline) before the survivor's gate opens. VRRP makes both hosts master here.
        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(0, result.DuplicateSamples);
        Assert.False(result.OldHostStillAnswering, Describe(result));
    }

    private static async Task<FailoverRunResult> RunAsync(FailoverFault fault, string? outputDirectory = null, bool inPidNamespace = false)
    {
        Requirements.Require();
        Requirements.RequireStore();
        await using var lan = await VirtualLan.StartAsync(new LanOptions { Clients = ["cli", "stale"] }, TestContext.Current.CancellationToken);
        var result = await FailoverScenario.RunAsync(
            lan,
            new AviOrleansSystem { OutputDirectory = outputDirectory, InPidNamespace = inPidNamespace },
            new FailoverRunOptions { Fault = fault, MaxFailover = TimeSpan.FromSeconds(30) },
            TestContext.Current.CancellationToken);
        Assert.True(result.Samples > 0);
        return result;
    }

    private static string Describe(FailoverRunResult result) => FailoverScenarioTests.Describe(result);
}
