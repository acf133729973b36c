using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;
using AviOrleans.Testing.Stores;

namespace AviOrleans.DataPlane.Tests;

/// <summary>The guard process for real: a child process in a namespace, fed deadlines on its standard input.</summary>
public sealed class VipGuardProcessTests
{
    private const byte Mark = 0xA5;

    [Fact]
    public async Task Guard_DeadlinePassesWithoutANewOne_RemovesTheMarkedAddressesOnly()
    {
        await using var lan = await Lan.CreateAsync(1);
        var ns = lan.HostNamespaces[0];
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.100", 32, Mark);
        Kernel.Add(ns, Lan.HostInterface, "2001:db8::100", 128, Mark);
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.102", 32);
        using var guard = await StartGuardAsync(VipGuardProcess.Arguments(Environment.ProcessId, Mark, ns));

        // A second ahead: the look 100 ms later must come before it even when the test suite loads both cores (at
        // 300 ms ahead, CI once looked only after the guard had rightly withdrawn).
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        await guard.StandardInput.WriteLineAsync("deadline " + deadline.ToString(CultureInfo.InvariantCulture));
        await guard.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var before = Kernel.Addresses(ns, Lan.HostInterface);
        var lookedEarly = Stopwatch.GetTimestamp() < deadline;
        await Eventually.TrueAsync(() => !Kernel.Addresses(ns, Lan.HostInterface).Any(a => a.Protocol == Mark), "the guard withdraws once the deadline passes", TimeSpan.FromSeconds(5));
        var removedAfter = Stopwatch.GetElapsedTime(deadline);

        Assert.True(lookedEarly, "the machine stalled past the deadline before the test could look at the addresses");
        Assert.Equal(2, before.Count(a => a.Protocol == Mark));
        Assert.True(removedAfter < TimeSpan.FromSeconds(1), $"removed {removedAfter.TotalMilliseconds:0} ms after the deadline");
        Assert.Contains(Kernel.Addresses(ns, Lan.HostInterface), a => a.Address == "192.0.2.102/32");
        Assert.Contains(Kernel.Addresses(ns, Lan.HostInterface), a => a.Address == Lan.HostAddress(0) + "/24");
        Assert.False(guard.HasExited);
        guard.Kill();
    }

    [Fact]
    public async Task Guard_DeadlinesKeepComing_LeavesTheAddresses()
    {
        await using var lan = await Lan.CreateAsync(1);
        var ns = lan.HostNamespaces[0];
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.100", 32, Mark);
        using var guard = await StartGuardAsync(VipGuardProcess.Arguments(Environment.ProcessId, Mark, ns));

        var deadline = 0L;
        for (var i = 0; i < 20; i++)
        {
            // Three seconds ahead, renewed every 50 ms: a loaded machine must not make the test's own writes late (one
            // second ahead, CI once stalled past it while other test projects ran silo processes).
            deadline = Stopwatch.GetTimestamp() + 3 * Stopwatch.Frequency;
            await guard.StandardInput.WriteLineAsync("deadline " + deadline.ToString(CultureInfo.InvariantCulture));
            await guard.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var addresses = Kernel.Addresses(ns, Lan.HostInterface);
        var lookedEarly = Stopwatch.GetTimestamp() < deadline;

        Assert.True(lookedEarly, "the machine stalled past the last deadline before the test could look at the addresses");
        Assert.Contains(addresses, a => a.Address == "192.0.2.100/32" && a.Protocol == Mark);
        guard.Kill();
    }

    [Fact]
    public async Task Guard_SiloKilled_RemovesTheMarkedAddressesAtOnce()
    {
        await using var lan = await Lan.CreateAsync(1);
        var ns = lan.HostNamespaces[0];
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.100", 32, Mark);
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.102", 32);
        using var silo = Start("parent", Mark.ToString(CultureInfo.InvariantCulture), ns);
        var armed = await silo.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("armed guard=", armed, StringComparison.Ordinal);
        var guardId = int.Parse(armed!["armed guard=".Length..], CultureInfo.InvariantCulture);

        var killedAt = Stopwatch.GetTimestamp();
        silo.Kill();
        await Eventually.TrueAsync(() => !Kernel.Addresses(ns, Lan.HostInterface).Any(a => a.Protocol == Mark), "the guard withdraws when its silo dies", TimeSpan.FromSeconds(5));
        var removedAfter = Stopwatch.GetElapsedTime(killedAt);

        Assert.True(removedAfter < TimeSpan.FromSeconds(1), $"removed {removedAfter.TotalMilliseconds:0} ms after the kill");
        Assert.Contains(Kernel.Addresses(ns, Lan.HostInterface), a => a.Address == "192.0.2.102/32");
        await Eventually.TrueAsync(() => !File.Exists($"/proc/{guardId}/status") || File.ReadAllText($"/proc/{guardId}/status").Contains("State:\tZ", StringComparison.Ordinal), "the guard exits after its work");
    }

    [Theory]
    [InlineData(StoreKind.PostgreSql)]
    [InlineData(StoreKind.Sqlite)]
    public async Task Guard_SiloKilled_RevokesItsLeaseAfterTheAddressesAreGone(StoreKind kind)
    {
        await using var lan = await Lan.CreateAsync(1);
        var ns = lan.HostNamespaces[0];
        using var folder = new Folder();
        var clusterId = "guard-" + Guid.NewGuid().ToString("N")[..12];
        var location = kind == StoreKind.PostgreSql
            ? LeaseStoreLocation.Of(new StoreOptions().UsePostgreSql(PostgreSqlTestServer.ConnectionString), clusterId)
            : LeaseStoreLocation.Of(new StoreOptions().UseSqlite(folder.Path), clusterId);
        const string lease = "silo/192.0.2.11:11111@1";
        await using var store = kind == StoreKind.PostgreSql
            ? (RelationalLeaseStore)new PostgreSqlLeaseStore(new PostgreSqlStoreOptions { ConnectionString = location.Database }, clusterId)
            : new SqliteLeaseStore(new SqliteStoreOptions { DataDirectory = folder.Path }, clusterId);
        var held = await store.TryAcquireAsync(lease, lease, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.NotNull(held);
        Kernel.Add(ns, Lan.HostInterface, "192.0.2.100", 32, Mark);
        using var silo = Start("parent", Mark.ToString(CultureInfo.InvariantCulture), ns, location.ToJson(), lease);
        Assert.StartsWith("armed guard=", await silo.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        silo.Kill();
        // The guard writes to the stand-in's standard error (inherited), which stays open until the guard exits.
        var said = silo.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var until = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while ((await store.ReadAsync(lease, TestContext.Current.CancellationToken))?.IsRevoked != true)
        {
            if (Stopwatch.GetTimestamp() > until)
            {
                Assert.Fail("The guard did not revoke the dead silo's lease. It said: " + await said.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var revoked = await store.ReadAsync(lease, TestContext.Current.CancellationToken);
        Assert.Equal("guard:" + lease, revoked!.RevokedBy);
        Assert.True(revoked.Epoch > held.Epoch);
        Assert.True(revoked.IsHeld, "the revoker holds it, so the dead generation can never acquire it again");
        Assert.DoesNotContain(Kernel.Addresses(ns, Lan.HostInterface), a => a.Protocol == Mark);
    }

    [Fact]
    public async Task Guard_SiloKilledAfterAGateRevokedItsLease_LeavesTheLeaseAlone()
    {
        await using var lan = await Lan.CreateAsync(1);
        using var folder = new Folder();
        var location = LeaseStoreLocation.Of(new StoreOptions().UseSqlite(folder.Path), "guard-revoked");
        const string lease = "silo/192.0.2.11:11111@2";
        await using var store = new SqliteLeaseStore(new SqliteStoreOptions { DataDirectory = folder.Path }, location.ClusterId);
        var held = await store.TryAcquireAsync(lease, lease, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        var gate = await store.RevokeAsync(lease, held!.Epoch, "gate:other", TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        using var silo = Start("parent", Mark.ToString(CultureInfo.InvariantCulture), lan.HostNamespaces[0], location.ToJson(), lease);
        var armed = await silo.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        var guardId = int.Parse(armed!["armed guard=".Length..], CultureInfo.InvariantCulture);

        silo.Kill();
        await Eventually.TrueAsync(() => !File.Exists($"/proc/{guardId}/status") || File.ReadAllText($"/proc/{guardId}/status").Contains("State:\tZ", StringComparison.Ordinal), "the guard exits after its work");

        var after = await store.ReadAsync(lease, TestContext.Current.CancellationToken);
        Assert.NotNull(gate);
        Assert.Equal(gate, after! with { StoreTime = gate.StoreTime });
    }

    [Theory]
    [InlineData("vip-guard")]
    [InlineData("vip-guard", "--parent", "1", "--mark", "165")]
    [InlineData("vip-guard", "--parent", "4242", "--mark", "2")]
    [InlineData("vip-guard", "--parent", "4242", "--mark", "165", "--netns", "a/b")]
    [InlineData("vip-guard", "--parent")]
    [InlineData("vip-guard", "--parent", "4242", "--mark", "165", "--colour", "red")]
    public async Task Guard_BadArguments_ExitTwoWithUsage(params string[] arguments)
    {
        using var guard = Start(arguments);
        var error = await guard.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await guard.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, guard.ExitCode);
        Assert.Contains("usage: vip-guard", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_ParentIsAliveButNotItsParent_RefusesToStart()
    {
        await using var lan = await Lan.CreateAsync(1);

        using var guard = Start([.. VipGuardProcess.Arguments(ParentOfThisProcess(), Mark, lan.HostNamespaces[0])]);
        var error = await guard.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await guard.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, guard.ExitCode);
        Assert.Contains("not the parent", error, StringComparison.Ordinal);
    }

    /// <summary>A live process that is not the guard's parent: the test host's own parent (proc(5): stat field 4).</summary>
    private static int ParentOfThisProcess()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A temporary folder for a SQLite store, removed with everything in it.</summary>
    private sealed class Folder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("aviorleans-guard-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static async Task<Process> StartGuardAsync(IReadOnlyList<string> arguments)
    {
        var guard = Start([.. arguments]);
        Assert.Equal("armed", await guard.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken));
        return guard;
    }

    private static Process Start(params string[] arguments)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "AviOrleans.DataPlane.GuardHost.dll");
        var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the guard host.");
    }
}
