using System.Diagnostics;
using System.Globalization;
using System.Text;
using AviOrleans.Testing.Lan;
using AviOrleans.Testing.Lan.Failover;
using AviOrleans.Testing.Lan.Silos;

// Failover of a VIP between two SE hosts on the LAN harness (tests/AviOrleans.Testing.Lan), the systems under test
// side by side in one run, interleaved: for each run index, each fault, each system (in rotating order). Method as
// FAILOVER-ANCHORS §1; see bench/results/failover.md.
//
//   dotnet run -c Release --project bench/AviOrleans.Bench.Failover -- [--runs 20] [--faults freeze,kill,partition]
//       [--systems keepalived-v2,keepalived-v3,aviorleans] [--floor-runs 20] [--observe 2] [--seed N] [--quick]
//       [--settle 5] (seconds each system runs steady before the fault) [--trace DIR]  (AviOrleans' silos log at information level, each run's silo output is saved in DIR and
//                       every progress line gives the fault's wall-clock time, to lay the two side by side)
// Needs root, iproute2, nftables and keepalived; for AviOrleans, PostgreSQL (AVIORLEANS_TEST_POSTGRES, as scripts/test.sh
// sets it; the silos reach it through the LAN's store node). Prints progress on stderr and a markdown report on stdout.
var runs = 20;
var floorRuns = 20;
var faults = new List<FailoverFault> { FailoverFault.HostFreeze, FailoverFault.AgentKill, FailoverFault.Partition };
var systemKeys = new List<string> { "keepalived-v2", "keepalived-v3", "aviorleans" };
var observe = TimeSpan.FromSeconds(2);
var settle = TimeSpan.FromSeconds(5);
var seed = Environment.TickCount;
string? trace = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--floor-runs":
            floorRuns = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--faults":
            faults = [.. args[++i].Split(',').Select(ParseFault)];
            break;
        case "--systems":
            systemKeys = [.. args[++i].Split(',')];
            break;
        case "--observe":
            observe = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--settle":
            settle = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--seed":
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--trace":
            trace = Path.GetFullPath(args[++i]);
            break;
        case "--quick":
            runs = 2;
            floorRuns = 2;
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

var systems = new List<(string Key, IFailoverSystem System)>();
foreach (var key in systemKeys)
{
    var entry = Systems.All.FirstOrDefault(s => s.Key == key);
    if (entry.Key is null || entry.Create is null)
    {
        Console.Error.WriteLine(entry.Key is null
            ? $"unknown system '{key}' (known: {string.Join(", ", Systems.All.Select(s => s.Key))})"
            : $"'{key}' has no driver.");
        return 2;
    }

    systems.Add((key, trace is not null && key == "aviorleans" ? new AviOrleansSystem { SiloLogLevel = "information", OutputDirectory = trace } : entry.Create()));
}

var tools = new[] { LanPrerequisites.Ip, LanPrerequisites.Nft }.Concat(systems.SelectMany(s => s.System.RequiredTools)).Distinct().ToArray();
if (LanPrerequisites.Missing(tools) is { Count: > 0 } missing)
{
    Console.Error.WriteLine($"Needs {string.Join(", ", missing)}.");
    return 1;
}

var random = new Random(seed);
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var clock = Stopwatch.StartNew();
var results = new List<(string Key, FailoverRunResult Result)>();
var floor = new List<FailoverRunResult>();
var failures = new List<string>();
// The store node relays to PostgreSQL when AviOrleans runs (its silos keep their cluster there); keepalived needs none.
var store = systems.Any(s => s.System is AviOrleansSystem) ? Environment.GetEnvironmentVariable(LanOptions.PostgresVariable) : null;
if (systems.Any(s => s.System is AviOrleansSystem) && string.IsNullOrEmpty(store))
{
    Console.Error.WriteLine($"AviOrleans needs PostgreSQL: set {LanOptions.PostgresVariable} (scripts/test.sh shows how to start one).");
    return 1;
}

await using (var lan = await VirtualLan.StartAsync(new LanOptions { Clients = ["cli", "stale"], StoreConnectionString = store }))
{
    for (var run = 0; run < Math.Max(runs, floorRuns); run++)
    {
        if (run < floorRuns)
        {
            var result = await FailoverScenario.MeasureFloorAsync(lan, VirtualLan.Vip(0));
            floor.Add(result);
            Progress(run, "floor", result);
        }

        if (run >= runs)
        {
            continue;
        }

        foreach (var fault in faults)
        {
            for (var s = 0; s < systems.Count; s++)
            {
                var (key, system) = systems[(s + run) % systems.Count];
                try
                {
                    var result = await FailoverScenario.RunAsync(lan, system, new FailoverRunOptions { Fault = fault, ObserveAfterFailover = observe, Settle = settle, Random = random });
                    results.Add((key, result));
                    Progress(run, key, result);
                }
                catch (Exception ex) when (ex is LanException or TimeoutException)
                {
                    // A run that could not even reach its steady state counts as failed, and the bench goes on.
                    failures.Add($"run {run + 1}, {key}, {fault}: {ex.Message}");
                    Console.Error.WriteLine($"run {run + 1} {key} {fault}: FAILED {ex.Message}");
                }
            }
        }
    }
}

var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
Console.Write(Report());
return 0;

static FailoverFault ParseFault(string text) => text switch
{
    "freeze" => FailoverFault.HostFreeze,
    "kill" => FailoverFault.AgentKill,
    "partition" => FailoverFault.Partition,
    _ => throw new ArgumentException($"unknown fault '{text}' (freeze, kill, partition)"),
};

static void Progress(int run, string key, FailoverRunResult result) =>
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run + 1,2} {key,-14} {result.Fault,-10} failover {Stats.Ms(result.Failover?.TotalMilliseconds),6} ms  arp {Stats.Ms(result.ArpSwitch?.TotalMilliseconds),6} ms  dup {result.DuplicateSamples,4}/{result.Samples,-4} old-host {(result.OldHostStillAnswering ? "still answering" : Stats.Ms(result.OldHostLastAnswer?.TotalMilliseconds) + " ms")}  phase {result.Phase.TotalMilliseconds:0} ms  fault took {result.FaultWindow.Duration.TotalMilliseconds:0.0} ms at {result.FaultWindow.Started.ToUtc():HH:mm:ss.fff}"));

string Report()
{
    var report = new StringBuilder();
    report.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {Environment.ProcessorCount} CPUs, {Version("keepalived", "--version")}, {Version("ip", "-V")}; ");
    report.AppendLine(CultureInfo.InvariantCulture, $"{runs} runs per fault and system, {floorRuns} floor runs, the fault {settle.TotalSeconds:0.#} s after the pair is steady, observation {observe.TotalSeconds:0.#} s after the survivor's first answer, seed {seed}, {clock.Elapsed.TotalMinutes:0.0} min in all.");
    report.AppendLine(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min) before: {string.Join(' ', loadBefore.Split(' ').Take(3))}; after: {string.Join(' ', loadAfter.Split(' ').Take(3))}.");
    report.AppendLine();
    foreach (var fault in faults)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"### {Title(fault)}");
        report.AppendLine();
        report.Append("| ms from the fault | ");
        report.AppendLine(string.Join(" | ", Systems.All.Select(s => s.Heading)) + " |");
        report.AppendLine("| --- |" + string.Concat(Systems.All.Select(_ => " ---: |")));
        var columns = Systems.All.Select(s => results.Where(r => r.Key == s.Key && r.Result.Fault == fault).Select(r => r.Result).ToList()).ToList();
        Row("runs (survivor answered / run)", columns, c => c.Count == 0 ? "—" : $"{c.Count(r => r.Succeeded)}/{c.Count}");
        foreach (var (label, percent) in new[] { ("failover min", 0.0), ("failover median", 50.0), ("failover p95", 95.0), ("failover max", 100.0) })
        {
            Row(label, columns, c => Stats.Ms(Stats.Percentile(Values(c, r => r.Failover), percent == 0 ? 0.0001 : percent)));
        }

        Row("client ARP entry on the survivor, median", columns, c => Stats.Ms(Stats.Percentile(Values(c, r => r.ArpSwitch), 50)));
        Row("duplicate-ownership samples: total (runs with any)", columns, c => c.Count == 0 ? "—" : $"{c.Sum(r => r.DuplicateSamples)} ({c.Count(r => r.DuplicateSamples > 0)})");
        Row("duplicate span per run, median / max", columns, c => c.Count == 0 ? "—" : $"{Stats.Ms(Stats.Percentile(Values(c, r => r.DuplicateSpan), 50))} / {Stats.Ms(Stats.Percentile(Values(c, r => r.DuplicateSpan), 100))}");
        Row("samples after the fault, median", columns, c => Stats.Ms(Stats.Percentile([.. c.Select(r => (double)r.Samples)], 50)));
        Row("old host still answering (pinned client) at the end", columns, c => c.Count == 0 ? "—" : $"{c.Count(r => r.OldHostStillAnswering)}/{c.Count} runs");
        Row("old host's last answer, median", columns, c => Stats.Ms(Stats.Percentile(Values(c, r => r.OldHostLastAnswer), 50)));
        Row("observed after the fault, median", columns, c => Stats.Ms(Stats.Percentile(Values(c, r => r.Observed), 50)));
        Row("injecting the fault took, median", columns, c => string.Create(CultureInfo.InvariantCulture, $"{Stats.Percentile([.. c.Select(r => r.FaultWindow.Duration.TotalMilliseconds)], 50):0.0}"));
        report.AppendLine();
    }

    if (floor.Count > 0)
    {
        var values = Values(floor, r => r.Failover);
        report.AppendLine("### Harness floor (VIP + one GARP added by hand on the survivor, the old host frozen)");
        report.AppendLine();
        report.AppendLine("| ms from the add | runs | min | median | p95 | max | client ARP entry on the survivor, median | add + GARP took, median |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| first connect answered by the survivor | {floor.Count} | {Stats.Ms(Stats.Percentile(values, 0.0001))} | {Stats.Ms(Stats.Percentile(values, 50))} | {Stats.Ms(Stats.Percentile(values, 95))} | {Stats.Ms(Stats.Percentile(values, 100))} | {Stats.Percentile(Values(floor, r => r.ArpSwitch), 50):0.00} | {Stats.Percentile([.. floor.Select(r => r.FaultWindow.Duration.TotalMilliseconds)], 50):0.00} |");
        report.AppendLine();
    }

    if (failures.Count > 0)
    {
        report.AppendLine("Runs that failed before the fault:");
        failures.ForEach(f => report.AppendLine("* " + f));
        report.AppendLine();
    }

    return report.ToString();

    void Row(string label, List<List<FailoverRunResult>> columns, Func<List<FailoverRunResult>, string> cell) =>
        report.AppendLine($"| {label} | {string.Join(" | ", columns.Select(c => c.Count == 0 ? "—" : cell(c)))} |");
}

static List<double> Values(IEnumerable<FailoverRunResult> results, Func<FailoverRunResult, TimeSpan?> value) =>
    [.. results.Select(value).Where(v => v is not null).Select(v => v!.Value.TotalMilliseconds)];

static string Title(FailoverFault fault) => fault switch
{
    FailoverFault.HostFreeze => "Host freeze (SIGSTOP of every process on the active host + its link down)",
    FailoverFault.AgentKill => "Agent SIGKILL on a live host (keepalived: parent and VRRP child; the host, its VIP and banner stay up)",
    FailoverFault.Partition => "Partition (the active host cut off from its peer and the store; the clients still reach it)",
    _ => fault.ToString(),
};

static string Version(string file, string argument)
{
    try
    {
        using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? file;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return file + " (not installed)";
    }
}
