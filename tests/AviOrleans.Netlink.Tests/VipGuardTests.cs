using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using AviOrleans.Netlink.Agent;

namespace AviOrleans.Netlink.Tests;

public sealed class VipGuardTests
{
    private const byte Mark = 0xA7;

    [Fact]
    public async Task Guard_ParentKilled_RemovesMarkedAddressesAndKeepsTheOthers()
    {
        Assert.True(NetlinkHostNetwork.KernelSupportsAddressProtocol, "The agent's mark needs IFA_PROTO (Linux 6.1+).");
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        // The marked VIP is the primary of 192.0.2.0/24 and the unmarked 192.0.2.2/24 its secondary, which the kernel
        // would delete with it unless the guard turns promote_secondaries on first.
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.10"), 24, VethPair.LocalInterface) { Protocol = Mark });
        client.AddAddress(new AddressRequest(IPAddress.Parse("2001:db8::10"), 128, VethPair.LocalInterface) { Protocol = Mark });
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.2"), 24, VethPair.LocalInterface));
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.11"), 32, VethPair.LocalInterface) { Protocol = Mark + 1 });
        using var parent = StartProbe("guard-parent", pair.LocalNamespace, Mark.ToString(CultureInfo.InvariantCulture));
        var guardProcessId = 0;
        try
        {
            var line = await parent.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.NotNull(line);
            Assert.StartsWith("armed guard=", line, StringComparison.Ordinal);
            guardProcessId = int.Parse(line["armed guard=".Length..], CultureInfo.InvariantCulture);

            // SIGTERM while the silo lives (as when the silo's starting thread ends, or systemd stops the unit) only
            // wakes the guard: it sees its parent alive and removes nothing.
            Assert.Equal(0, (await SignalAsync("TERM", guardProcessId)).ExitCode);
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.Equal(2, client.ListAddresses(VethPair.LocalInterface).Count(a => a.Protocol == Mark));
            Assert.True(Directory.Exists($"/proc/{guardProcessId}"), "The guard ended on a SIGTERM while its parent lived.");

            parent.Kill();
            await parent.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            await Eventually.TrueAsync(() => !client.ListAddresses(VethPair.LocalInterface).Any(a => a.Protocol == Mark), "The guard did not remove the marked VIPs after its parent was killed.", TimeSpan.FromSeconds(30));
            var left = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
            Assert.DoesNotContain("192.0.2.10/24", left);
            Assert.DoesNotContain("2001:db8::10/128", left);
            Assert.Contains("192.0.2.2/24", left);
            Assert.Contains("192.0.2.11/32", left);
            await Eventually.TrueAsync(() => HasEnded(guardProcessId), "The guard did not end after removing the VIPs.", TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill();
            }

            if (guardProcessId != 0 && Directory.Exists($"/proc/{guardProcessId}"))
            {
                await SignalAsync("KILL", guardProcessId);
            }
        }
    }

    [Fact]
    public async Task Guard_ParentAlreadyGoneWhenItStarts_RemovesMarkedAddressesAtOnce()
    {
        // The race a real silo can lose: it dies after starting the guard but before the guard armed its signal.
        // A process that has exited (and been reaped) stands for that parent.
        Assert.True(NetlinkHostNetwork.KernelSupportsAddressProtocol, "The agent's mark needs IFA_PROTO (Linux 6.1+).");
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.10"), 32, VethPair.LocalInterface) { Protocol = Mark });
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.2"), 24, VethPair.LocalInterface));
        int deadParent;
        using (var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            await exited.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            deadParent = exited.Id;
        }

        using var guard = StartProbe("guard", deadParent.ToString(CultureInfo.InvariantCulture), pair.LocalNamespace, Mark.ToString(CultureInfo.InvariantCulture));
        var output = await guard.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await guard.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, guard.ExitCode);
        Assert.DoesNotContain("armed", output, StringComparison.Ordinal);
        var left = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        Assert.DoesNotContain("192.0.2.10/32", left);
        Assert.Contains("192.0.2.2/24", left);
    }

    [Fact]
    public async Task Guard_GivenALiveProcessThatIsNotItsParent_RefusedBeforeArming()
    {
        await using var pair = await VethPair.CreateAsync();

        // This test process is alive and is not its own parent: a guard for it would take a live silo for dead.
        var error = Assert.Throws<ArgumentException>(() => new VipGuard(Environment.ProcessId, Mark, pair.Local));

        Assert.Contains("not the parent", error.Message, StringComparison.Ordinal);
    }

    /// <summary>bash's builtin kill: bash is on every Debian machine, /bin/kill (procps) is not.</summary>
    private static Task<(int ExitCode, string Output, string Error)> SignalAsync(string signal, int processId) =>
        HostCommand.TryRunAsync("bash", "-c", $"kill -{signal} {processId.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Gone, or a zombie (state Z) waiting for whatever reaper adopted it.</summary>
    private static bool HasEnded(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    private static Process StartProbe(params string[] arguments)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "AviOrleans.Netlink.PrivilegeProbe.dll");
        var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the probe.");
    }
}
