using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Netlink;
using AviOrleans.Silo.Hosting;
using Npgsql;

namespace AviOrleans.Bench.DataPlane;

/// <summary>Runs the scenarios and writes bench/results/fencing.md.</summary>
internal static class BenchDriver
{
    private const string Vip = "192.0.2.100";
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(180);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Arguments.Parse(args);
        var runs = int.Parse(options.GetValueOrDefault("runs", "20"), CultureInfo.InvariantCulture);
        var saturation = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("saturation-seconds", "300"), CultureInfo.InvariantCulture));
        var output = options.GetValueOrDefault("out") ?? Path.Combine(RepositoryRoot(), "bench", "results", "fencing.md");
        var connection = options.GetValueOrDefault("store") ?? Environment.GetEnvironmentVariable("AVIORLEANS_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Give the PostgreSQL connection string with --store or AVIORLEANS_TEST_POSTGRES.");
        var server = new NpgsqlConnectionStringBuilder(connection);
        var store = new NpgsqlConnectionStringBuilder(connection) { Host = BenchLan.StoreAddress, Port = BenchLan.StorePort, Timeout = 3 }.ToString();
        var logs = Directory.CreateTempSubdirectory("avidp-bench-").FullName;
        var started = DateTimeOffset.UtcNow;
        var load = new List<double> { LoadAverage() };
        Console.WriteLine($"logs in {logs}");

        await using var lan = await BenchLan.CreateAsync(3, new IPEndPoint(IPAddress.Parse(server.Host!), server.Port));
        var report = new Report();
        foreach (var declare in new[] { true, false })
        {
            await using var cluster = await Cluster.StartAsync(lan, store, declare, logs);
            for (var run = 0; run < runs; run++)
            {
                foreach (var fault in new[] { Fault.Freeze, Fault.Kill })
                {
                    var sample = await FailAsync(lan, cluster, 1 + run % 2, fault);
                    report.Add(declare, fault, sample);
                    report.UnexpectedRestarts[declare] = cluster.UnexpectedRestarts;
                    Console.WriteLine($"{(declare ? "heartbeats" : "orleans")} {fault} run {run}: {sample}");
                }

                load.Add(LoadAverage());
            }
        }

        await using (var cluster = await Cluster.StartAsync(lan, store, true, logs))
        {
            for (var run = 0; run < runs; run++)
            {
                var sample = await FailAsync(lan, cluster, 1 + run % 2, Fault.Partition);
                report.Add(true, Fault.Partition, sample);
                report.PartitionRestarts = cluster.UnexpectedRestarts;
                Console.WriteLine($"partition run {run}: {sample}");
            }

            load.Add(LoadAverage());
        }

        await using (var cluster = await Cluster.StartAsync(lan, store, true, logs))
        {
            report.Saturation = await SaturateAsync(cluster, saturation);
            load.Add(LoadAverage());
        }

        await File.WriteAllTextAsync(output, report.Markdown(started, DateTimeOffset.UtcNow, load, runs, saturation));
        Console.WriteLine($"written {output}");
        return 0;
    }

    /// <summary>One fault of <paramref name="victim"/> (silo 0 watches and runs the gate), then the victim restarted.</summary>
    private static async Task<Sample> FailAsync(BenchLan lan, Cluster cluster, int victim, Fault fault)
    {
        await cluster.EnsureRunningAsync();
        var silo = cluster.Silos[victim];
        var observer = cluster.Silos[0];
        await silo.SendAsync("own " + Vip);
        _ = await silo.WaitForAsync(e => e.Kind == "owned", 0, TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("The victim did not take the VIP.");
        // Steady state: several renewals and heartbeats since the add.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await observer.SendAsync("gate " + silo.Name);
        using var client = NetlinkRouteClient.Open(NetworkNamespace.FromName(lan.Host(victim)));
        var t0 = SiloProcess.Now;
        switch (fault)
        {
            case Fault.Freeze:
                silo.Freeze();
                break;
            case Fault.Kill:
                await silo.DisposeAsync();
                break;
            case Fault.Partition:
                await lan.SetLinkAsync(victim, false);
                break;
        }

        double? gone = null;
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (Stopwatch.GetTimestamp() < until)
        {
            if (!client.ListAddresses("eth0").Any(a => a.Address.Equals(IPAddress.Parse(Vip))))
            {
                gone = SiloProcess.Now - t0;
                break;
            }

            await Task.Delay(2);
        }

        var dead = await observer.WaitForAsync(e => e.Kind == "status" && e.Detail == silo.Name + " Dead", t0, TimeSpan.FromSeconds(60));
        var open = await observer.WaitForAsync(e => e.Kind == "gate-open" && e.Detail == silo.Name, t0, TimeSpan.FromSeconds(120));
        var fenced = fault == Fault.Partition ? await silo.WaitForAsync(e => e.Kind == "fenced", t0, TimeSpan.FromSeconds(10)) : null;
        var suspected = await observer.WaitForAsync(e => e.Kind == "suspect" && e.Detail == silo.Name, t0, TimeSpan.Zero);
        var sample = new Sample(
            dead?.At - t0,
            open?.At - t0,
            gone,
            fenced?.At - t0,
            suspected?.At - t0);
        if (fault == Fault.Partition)
        {
            await lan.SetLinkAsync(victim, true);
        }

        await cluster.RestartAsync(victim);
        return sample;
    }

    private static async Task<SaturationResult> SaturateAsync(Cluster cluster, TimeSpan duration)
    {
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            await cluster.Silos[i].SendAsync("own 192.0.2.10" + (i + 1).ToString(CultureInfo.InvariantCulture));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var from = SiloProcess.Now;
        var spinners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Process.Start("sh", ["-c", "while :; do :; done"])).ToList();
        var loads = new List<double>();
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            loads.Add(LoadAverage());
        }

        foreach (var spinner in spinners)
        {
            spinner.Kill();
            await spinner.WaitForExitAsync();
            spinner.Dispose();
        }

        var to = SiloProcess.Now;
        var events = cluster.Silos.SelectMany(s => s.Events(from, to).Select(e => (s.Name, e))).ToList();
        return new SaturationResult(
            duration,
            events.Count(e => e.e.Kind == "suspect"),
            events.Where(e => e.e.Kind == "status" && e.e.Detail.EndsWith(" Dead", StringComparison.Ordinal)).Select(e => e.e.Detail).Distinct().Count(),
            events.Count(e => e.e.Kind == "fenced"),
            loads.Count == 0 ? 0 : loads.Average());
    }

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AviOrleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from the repository (AviOrleans.sln not found above it), or give --out.");
    }

    /// <summary>Three bench silos on the LAN, one per host namespace.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly BenchLan _lan;
        private readonly string _store;
        private readonly bool _declare;
        private readonly string _logs;
        private readonly string _id = "bench-" + Guid.NewGuid().ToString("N")[..8];

        private Cluster(BenchLan lan, string store, bool declare, string logs)
        {
            _lan = lan;
            _store = store;
            _declare = declare;
            _logs = logs;
        }

        public List<SiloProcess> Silos { get; } = [];

        public static async Task<Cluster> StartAsync(BenchLan lan, string store, bool declare, string logs)
        {
            var cluster = new Cluster(lan, store, declare, logs);
            for (var i = 0; i < 3; i++)
            {
                cluster.Silos.Add(cluster.Start(i));
                // One at a time: the first silo creates the schema and the cluster's version row.
                await cluster.WaitReadyAsync(cluster.Silos[i], 0);
            }

            return cluster;
        }

        /// <summary>Silos that ended outside a fault (declared dead by mistake, or failed) and were started again.</summary>
        public int UnexpectedRestarts { get; private set; }

        public async Task EnsureRunningAsync()
        {
            for (var i = 0; i < Silos.Count; i++)
            {
                if (Silos[i].HasExited)
                {
                    UnexpectedRestarts++;
                    await RestartAsync(i);
                }
            }
        }

        public async Task RestartAsync(int index)
        {
            await Silos[index].DisposeAsync();
            var after = SiloProcess.Now;
            for (var attempt = 1; ; attempt++)
            {
                Silos[index] = Start(index);
                if (await Silos[index].WaitForAsync(e => e.Kind == "ready", after, Ready) is not null)
                {
                    break;
                }

                await Silos[index].DisposeAsync();
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"Silo {Silos[index].Name} did not become Active and unfenced in three starts (logs: {_logs}).");
                }

                UnexpectedRestarts++;
                after = SiloProcess.Now;
            }
            // Every silo sees the new generation Active before the next fault.
            foreach (var other in Silos)
            {
                _ = await other.WaitForAsync(e => e.Kind == "status" && e.Detail == Silos[index].Name + " Active", after, Ready);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var silo in Silos)
            {
                await silo.DisposeAsync();
            }
        }

        private SiloProcess Start(int index) =>
            SiloProcess.Start(_lan.Host(index), "se" + index.ToString(CultureInfo.InvariantCulture), BenchLan.HostAddress(index), _id, _store, _declare, _logs);

        private async Task WaitReadyAsync(SiloProcess silo, double after)
        {
            _ = await silo.WaitForAsync(e => e.Kind == "ready", after, Ready)
                ?? throw new InvalidOperationException($"Silo {silo.Name} did not become Active and unfenced within {Ready.TotalSeconds:0} s (logs: {_logs}).");
        }
    }
}

/// <summary>What a fault is.</summary>
internal enum Fault
{
    /// <summary>SIGSTOP of the silo process (its guard keeps running).</summary>
    Freeze = 1,

    /// <summary>SIGKILL of the silo process.</summary>
    Kill = 2,

    /// <summary>The host's link down: it reaches neither the store nor its peers.</summary>
    Partition = 3,
}

/// <summary>One fault's times from the fault, in milliseconds.</summary>
internal sealed record Sample(double? Dead, double? GateOpen, double? VipGone, double? Fenced, double? Suspected)
{
    /// <summary>The VIP was gone from the victim before the gate opened (or the gate never opened).</summary>
    public bool Safe => GateOpen is null || VipGone is { } gone && gone <= GateOpen;

    public override string ToString() =>
        FormattableString.Invariant($"dead {Dead:0} ms, gate open {GateOpen:0} ms, VIP gone {VipGone:0} ms, fenced {Fenced:0} ms, suspected {Suspected:0} ms, safe {Safe}");
}

/// <summary>Counts from the saturation run.</summary>
internal sealed record SaturationResult(TimeSpan Duration, int Suspicions, int SilosDeclaredDead, int Fences, double MeanLoad);

/// <summary>Collects samples and writes the markdown.</summary>
internal sealed class Report
{
    private readonly Dictionary<(bool Declare, Fault Fault), List<Sample>> _samples = [];

    public SaturationResult? Saturation { get; set; }

    /// <summary>Silos that ended outside the faults (false deaths under the machine's load), by column.</summary>
    public Dictionary<bool, int> UnexpectedRestarts { get; } = new() { [true] = 0, [false] = 0 };

    public int PartitionRestarts { get; set; }

    public void Add(bool declare, Fault fault, Sample sample)
    {
        if (!_samples.TryGetValue((declare, fault), out var list))
        {
            _samples[(declare, fault)] = list = [];
        }

        list.Add(sample);
    }

    public string Markdown(DateTimeOffset started, DateTimeOffset ended, List<double> load, int n, TimeSpan saturation)
    {
        var md = new StringBuilder();
        var options = new DataPlaneOptions();
        md.AppendLine(CultureInfo.InvariantCulture, $"""
            # Fencing and detection: the data plane with real silo processes

            * Command: `dotnet run -c Release --project bench/AviOrleans.Bench.DataPlane -- --runs {n}` (as root, with
              `AVIORLEANS_TEST_POSTGRES` set to a PostgreSQL server; `bash scripts/test.sh` starts one the same way).
            * Topology: three silo processes, each in its own network namespace on a bridge (eth0 192.0.2.10-12/24), the
              fencing leases and the membership table in PostgreSQL 15 reached through a relay on the bridge; Orleans'
              fast membership profile (the silo's `fast`, MembershipProfiles: ProbeTimeout {MembershipProfiles.FastProbeTimeout.TotalMilliseconds:0} ms, MaxProbeTimeout {MembershipProfiles.FastMaxProbeTimeout.TotalMilliseconds:0} ms,
              {MembershipProfiles.FastMissedProbes} missed probes, TableRefresh {MembershipProfiles.FastTableRefresh.TotalSeconds:0} s); the data plane at its defaults (W {options.FencingWindow.TotalMilliseconds:0} ms, margin {options.FencingMargin.TotalMilliseconds:0} ms,
              lease renewal every {options.LeaseRenewalInterval.TotalMilliseconds:0} ms, heartbeats every {options.HeartbeatInterval.TotalMilliseconds:0} ms, suspicion after {options.HeartbeatMissCount} missed).
            * Each fault: the victim (silo 1 or 2, alternating) owns a VIP for 1.5 s; silo 0 starts the takeover gate for
              it; t0 = the fault. *Dead*: silo 0's membership view shows the victim Dead. *Gate open*: silo 0's
              `FencedTakeoverGate` returns. *VIP gone*: the victim's namespace no longer has the VIP (netlink, every 2 ms).
              Then the victim is killed and started again (a new generation) before the next run.
            * Same run, two columns: the datapath heartbeats declaring the dead (TryKill on a confirmed suspicion), and
              Orleans' membership alone (heartbeats only suspect) as the baseline.
            * Machine: the project's 2-vCPU VM (the silos, their guards and this driver run on it). Load average (1 min) from
              {load.Min():0.0} to {load.Max():0.0} during the run ({started:yyyy-MM-dd HH:mm}-{ended:HH:mm} UTC): every figure is noisy.
              Percentiles are nearest-rank; ms from the fault.

            """);
        foreach (var fault in new[] { Fault.Freeze, Fault.Kill })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {(fault == Fault.Freeze ? "Silo frozen (SIGSTOP of the silo process; its guard keeps running)" : "Silo killed (SIGKILL of the silo process on a live host)")}");
            md.AppendLine();
            md.AppendLine("| measure | heartbeats + Orleans: median | p95 | min | max | Orleans alone: median | p95 | min | max |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            Row(md, "declared Dead (silo 0's view)", fault, s => s.Dead);
            Row(md, "takeover gate open", fault, s => s.GateOpen);
            Row(md, "VIP gone from the victim", fault, s => s.VipGone);
            Row(md, "suspected by the heartbeats", fault, s => s.Suspected);
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"VIP gone before the gate opened: {Count(true, fault, s => s.Safe)} of {Count(true, fault, _ => true)} (heartbeats), {Count(false, fault, s => s.Safe)} of {Count(false, fault, _ => true)} (Orleans alone).");
            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Silos that ended outside a fault during these runs (declared dead by mistake while the machine was loaded, or failed to start) and were started again: {UnexpectedRestarts[true]} (heartbeats), {UnexpectedRestarts[false]} (Orleans alone).");
        md.AppendLine();

        md.AppendLine("## Host cut off from store and peers (its link down)");
        md.AppendLine();
        md.AppendLine("| measure | median | p95 | min | max |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        Row(md, "victim fenced itself (its own log)", Fault.Partition, s => s.Fenced, single: true);
        Row(md, "VIP gone from the victim", Fault.Partition, s => s.VipGone, single: true);
        Row(md, "declared Dead (silo 0's view)", Fault.Partition, s => s.Dead, single: true);
        Row(md, "takeover gate open", Fault.Partition, s => s.GateOpen, single: true);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"VIP gone before the gate opened: {Count(true, Fault.Partition, s => s.Safe)} of {Count(true, Fault.Partition, _ => true)}; silos started again outside a fault: {PartitionRestarts}.");
        md.AppendLine();
        if (Saturation is { } s)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"""
                ## Both cores saturated for {saturation.TotalMinutes:0.#} minutes

                {Environment.ProcessorCount} busy-loop processes (`sh -c 'while :; do :; done'`) beside the three silos, each silo owning a VIP;
                mean load average {s.MeanLoad:0.0}. Counted over all three silos:

                | heartbeat suspicions | silos declared Dead | self-fences |
                | ---: | ---: | ---: |
                | {s.Suspicions} | {s.SilosDeclaredDead} | {s.Fences} |

                """);
        }

        return md.ToString();
    }

    private void Row(StringBuilder md, string label, Fault fault, Func<Sample, double?> value, bool single = false)
    {
        md.Append(CultureInfo.InvariantCulture, $"| {label} |");
        foreach (var declare in single ? new[] { true } : new[] { true, false })
        {
            var values = _samples.GetValueOrDefault((declare, fault), []).Select(value).Where(v => v is not null).Select(v => v!.Value).Order().ToList();
            md.Append(values.Count == 0
                ? " - | - | - | - |"
                : string.Create(CultureInfo.InvariantCulture, $" {Percentile(values, 50):0} | {Percentile(values, 95):0} | {values[0]:0} | {values[^1]:0} |"));
            if (values.Count < _samples.GetValueOrDefault((declare, fault), []).Count)
            {
                md.Length -= 1;
                md.Append(CultureInfo.InvariantCulture, $" ({values.Count} of {_samples[(declare, fault)].Count}) |");
            }
        }

        md.AppendLine();
    }

    private int Count(bool declare, Fault fault, Func<Sample, bool> predicate) => _samples.GetValueOrDefault((declare, fault), []).Count(predicate);

    private static double Percentile(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
