using System.Globalization;
using System.Net;
using System.Text;
using AviOrleans.Testing.Lan;
using AviOrleans.Testing.Lan.Silos;

// Mass failover (bench/results/mass-failover.md): a legacy pair carries N virtual services with a VIP each, all active
// on one SE (compacted; N = 1,000 is Avi's max_vs_per_se ceiling); that SE's silo is killed (SIGKILL) and the survivor
// takes every VIP over. Measured from the kill, in the namespaces' own address tables (rtnetlink dumps every 20 ms):
// the first VIP on the survivor, the last (all N there), and the killed host's last VIP gone (its guard withdraws
// them); and from the client, whose ARP cache points every VIP at the killed host (it connected to each before the
// kill): the moment every VIP has answered a TCP connect from the survivor's banner. The same pair with one VIP, in
// the same run, is the baseline. Between runs the killed silo is started again
// (it rejoins as the standby) and the next run kills the other SE.
//   dotnet run -c Release --project bench/AviOrleans.Bench.MassFailover -- [--vips 1000] [--runs 10] [--out FILE]
//       [--trace DIR]  (the silos log at information level; each run's silo output is saved in DIR, with the kill's time)
// Needs root, iproute2, nftables and PostgreSQL (AVIORLEANS_TEST_POSTGRES); AVIORLEANS_SILO may name a published silo.
var vips = 1000;
var runs = 10;
string? output = null;
string? trace = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--vips":
            vips = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--out":
            output = Path.GetFullPath(args[++i]);
            break;
        case "--trace":
            trace = Path.GetFullPath(args[++i]);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

if (vips is < 1 or > 1000 || runs < 1)
{
    Console.Error.WriteLine("--vips must be 1..1000 (max_vs_per_se) and --runs at least 1.");
    return 2;
}

var started = DateTime.UtcNow;
var sizes = vips == 1 ? new[] { 1 } : [1, vips];
var results = new Dictionary<int, List<MassSample>>();
foreach (var size in sizes)
{
    results[size] = await MassFailover.RunAsync(size, runs, trace);
}

var report = MassFailover.Report(results, started, runs);
Console.WriteLine(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, report);
    Console.Error.WriteLine($"written {output}");
}

return 0;

/// <summary>One failover: milliseconds from the kill.</summary>
/// <param name="FirstOnSurvivor">The first VIP on the survivor.</param>
/// <param name="AllOnSurvivor">Every VIP on the survivor.</param>
/// <param name="GoneFromVictim">The killed host holds none (its guard withdrew them).</param>
/// <param name="DuplicateSamples">Samples in which a VIP was on both hosts.</param>
/// <param name="AllServed">Every VIP has answered a connect from the client on the survivor.</param>
internal sealed record MassSample(double FirstOnSurvivor, double AllOnSurvivor, double GoneFromVictim, int DuplicateSamples, double AllServed);

internal static class MassFailover
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static IPAddress Vip(int index) => new([198, 18, (byte)(index / 250), (byte)(1 + (index % 250))]);

    public static async Task<List<MassSample>> RunAsync(int size, int runs, string? trace)
    {
        var addresses = Enumerable.Range(0, size).Select(Vip).ToArray();
        await using var lan = await VirtualLan.StartAsync(new LanOptions { Hosts = ["se1", "se2"], Clients = ["cli"] });

        // The VIPs are on the hosts' LAN interface: the client reaches them on-link, through ARP.
        await Ip("-n", lan.Client.NamespaceName, "route", "add", "198.18.0.0/15", "dev", "eth0");
        await using var cluster = SiloCluster.Create(lan);
        var config = Path.Combine(lan.WorkDirectory, cluster.ClusterId + ".json");
        await File.WriteAllTextAsync(config, Configuration(addresses));
        var options = new SiloStartOptions { ConfigurationFile = config, StartTimeout = TimeSpan.FromMinutes(5), LogLevel = trace is null ? "warning" : "information" };
        var loading = DateTime.UtcNow;
        await cluster.StartAsync(lan.Host("se1"), options);
        await cluster.StartAsync(lan.Host("se2"), options);
        await using var sampler = OwnershipSampler.Start(lan, addresses, Interval);
        var placed = await sampler.WaitForAsync(s => Holder(s, addresses) is not null, TimeSpan.FromMinutes(5));
        Console.Error.WriteLine($"{size} VIP(s) on {Holder(placed, addresses)} {(DateTime.UtcNow - loading).TotalSeconds:0.0} s after the first silo started");

        var samples = new List<MassSample>();
        try
        {
            await RunFailoversAsync(lan, cluster, sampler, addresses, options, samples, runs, trace);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"{size} VIP(s): timed out; the silos' last lines:\n{cluster.Describe(60)}");
            throw;
        }

        return samples;
    }

    private static async Task RunFailoversAsync(VirtualLan lan, SiloCluster cluster, OwnershipSampler sampler, IPAddress[] addresses, SiloStartOptions options, List<MassSample> samples, int runs, string? trace)
    {
        var size = addresses.Length;
        for (var run = 0; run < runs; run++)
        {
            var since = LanTime.Now;
            var ready = await sampler.WaitForAsync(s => s.Started > since && Holder(s, addresses) is not null, Bound);
            var victim = Holder(ready, addresses)!;
            var survivor = victim == "se1" ? "se2" : "se1";

            // Settled: the standby has been a member for a while (it joined after the last run's restart); the client's
            // ARP cache holds the victim's MAC for every VIP.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var unanswered = await ServeAllAsync(lan.Client, addresses, lan.ServicePort, victim, LanTime.Now + Bound);
            if (unanswered.Count > 0)
            {
                throw new TimeoutException($"{unanswered.Count} VIP(s) did not answer from {victim} before the kill.");
            }

            var kill = cluster.Kill(lan.Host(victim));
            var taken = await sampler.WaitForAsync(s => s.Started > kill.Completed && addresses.All(a => s.Owners(a).SequenceEqual([survivor])), Bound);

            // A VIP cannot answer before its address is on the survivor: connects start once all are there.
            var served = await ServeAllAsync(lan.Client, addresses, lan.ServicePort, survivor, kill.Started + Bound);
            if (served.Count > 0)
            {
                throw new TimeoutException($"{served.Count} VIP(s) never answered from {survivor}.");
            }

            var servedAt = LanTime.Now;
            var after = sampler.Samples.Where(s => s.Started >= kill.Started && s.Started <= taken.Started).ToList();
            var first = after.First(s => addresses.Any(a => s.Owners(a).Contains(survivor)));
            var gone = after.FirstOrDefault(s => addresses.All(a => !s.Owners(a).Contains(victim))) ?? taken;
            var sample = new MassSample(
                (first.Completed - kill.Started).TotalMilliseconds,
                (taken.Completed - kill.Started).TotalMilliseconds,
                (gone.Completed - kill.Started).TotalMilliseconds,
                after.Count(s => addresses.Any(a => s.Owners(a).Count > 1)),
                (servedAt - kill.Started).TotalMilliseconds);
            samples.Add(sample);
            if (trace is not null)
            {
                cluster.SaveOutput(Path.Combine(trace, $"{size}-run{run + 1}"));
            }

            Console.Error.WriteLine($"{size} VIP(s), run {run + 1}/{runs}, {victim} killed at {kill.Started.ToUtc():HH:mm:ss.fff}: first {sample.FirstOnSurvivor:0} ms, all {sample.AllOnSurvivor:0} ms, gone from {victim} {sample.GoneFromVictim:0} ms, all served {sample.AllServed:0} ms, {sample.DuplicateSamples} duplicate sample(s)");

            await cluster.Silo(lan.Host(victim))!.Exited.WaitAsync(Bound);
            await cluster.StartAsync(lan.Host(victim), options);
        }
    }

    // Connects to every VIP (64 at a time, 200 ms each) until each has answered from the banner of host (its name), or
    // until the deadline; returns the VIPs that did not. The time this returns is when the last one answered.
    private static async Task<List<IPAddress>> ServeAllAsync(LanClient client, IPAddress[] addresses, int port, string host, LanTime deadline)
    {
        var pending = addresses.ToList();
        while (pending.Count > 0 && LanTime.Now < deadline)
        {
            var answered = new System.Collections.Concurrent.ConcurrentBag<IPAddress>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (vip, token) =>
            {
                var result = await client.ConnectAsync(new IPEndPoint(vip, port), TimeSpan.FromMilliseconds(200), token);
                if (result.Outcome == ProbeOutcome.Answered && result.Answer == host)
                {
                    answered.Add(vip);
                }
            });
            pending.RemoveAll(answered.Contains);
        }

        return pending;
    }

    private static async Task Ip(params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start("ip", arguments);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} exited {process.ExitCode}.");
        }
    }

    // The host that holds every VIP, alone; null while they are split or moving.
    private static string? Holder(OwnershipSample sample, IPAddress[] addresses)
    {
        var owners = addresses.Select(a => sample.Owners(a)).ToList();
        return owners.All(o => o.Count == 1) && owners.Select(o => o[0]).Distinct().Count() == 1 ? owners[0][0] : null;
    }

    private static string Configuration(IPAddress[] addresses)
    {
        var services = string.Join(",\n    ", addresses.Select((a, i) =>
            $$"""{ "name": "vs{{i:D4}}", "se_group_ref": "pair", "vip": [ { "vip_id": "0", "ip_address": "{{a}}" } ] }"""));
        return $$"""
            {
              "serviceenginegroup": [ { "name": "pair", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY", "max_vs_per_se": {{Math.Max(10, addresses.Length)}} } ],
              "serviceengine": [ { "name": "se1", "se_group_ref": "pair" }, { "name": "se2", "se_group_ref": "pair" } ],
              "virtualservice": [
                {{services}}
              ]
            }
            """;
    }

    public static string Report(Dictionary<int, List<MassSample>> results, DateTime started, int runs)
    {
        var text = new StringBuilder();
        text.AppendLine("# Mass failover: every VIP of a killed SE to its peer");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd HH:mm} UTC on kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {Environment.ProcessorCount} CPUs, {runs} runs per size, `bench/AviOrleans.Bench.MassFailover`. Milliseconds from the SIGKILL of the active SE's silo; address tables sampled every 20 ms; the client connects to every VIP (64 at a time) once all are on the survivor, its ARP cache pointing at the killed host.");
        text.AppendLine();
        text.AppendLine("| VIPs | first on survivor, median | p95 | all on survivor, median | p95 | max | all answer the client, median | p95 | max | gone from the killed host, median | duplicate samples |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (size, samples) in results)
        {
            var first = samples.Select(s => s.FirstOnSurvivor).ToList();
            var all = samples.Select(s => s.AllOnSurvivor).ToList();
            var gone = samples.Select(s => s.GoneFromVictim).ToList();
            var served = samples.Select(s => s.AllServed).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"| {size} | {Stats.Ms(Stats.Percentile(first, 50))} | {Stats.Ms(Stats.Percentile(first, 95))} | {Stats.Ms(Stats.Percentile(all, 50))} | {Stats.Ms(Stats.Percentile(all, 95))} | {Stats.Ms(all.Max())} | {Stats.Ms(Stats.Percentile(served, 50))} | {Stats.Ms(Stats.Percentile(served, 95))} | {Stats.Ms(served.Max())} | {Stats.Ms(Stats.Percentile(gone, 50))} | {samples.Sum(s => s.DuplicateSamples)} |");
        }

        if (results.Count == 2 && results.Values.All(r => r.Count > 0))
        {
            var baseline = Stats.Percentile(results.First().Value.Select(s => s.AllServed).ToList(), 50)!.Value;
            var mass = Stats.Percentile(results.Last().Value.Select(s => s.AllServed).ToList(), 50)!.Value;
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"All {results.Keys.Last()} VIPs answered from the survivor in {mass / baseline:0.00}x the time one VIP takes (medians, same run).");
        }

        return text.ToString();
    }
}
