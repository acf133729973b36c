using System.Diagnostics;
using System.Globalization;
using AviOrleans.Bench.Runtime;
using AviOrleans.Runtime;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Testing;

// Usage: dotnet run -c Release --project bench/AviOrleans.Bench.Runtime [-- all|local|remote|activations|memory|detection]
var which = args.Length > 0 ? args[0] : "all";
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"# AviOrleans runtime bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

var grains = new GrainRegistrations().Add<IPingGrain, PingGrain>();

if (which is "all" or "local")
{
    await LocalAsync();
}

if (which is "all" or "remote")
{
    await RemoteAsync();
}

if (which is "all" or "activations")
{
    await ActivationsAsync();
}

if (which is "all" or "memory")
{
    await MemoryAsync();
}

if (which is "all" or "detection")
{
    await DetectionAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
}

async Task LocalAsync()
{
    await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { InitialSilosCount = 1, Grains = grains });
    var factory = cluster.Silos[0].GrainFactory;
    var refs = Enumerable.Range(0, 64).Select(i => factory.GetGrain<IPingGrain>("local-" + i)).ToArray();
    var baseline = new DirectPing();

    var direct = await ThroughputAsync(i => baseline.EchoAsync(i), workers: 100, callsPerWorker: 20_000, runs: 5);
    Report("baseline: direct interface call (no runtime)", direct);
    var local = await ThroughputAsync(i => refs[i % refs.Length].EchoAsync(i), workers: 100, callsPerWorker: 5_000, runs: 7);
    Report("local grain calls (caller and grain on one silo, 64 grains, 100 concurrent callers)", local);
    var (p50, p99) = await LatencyAsync(i => refs[0].EchoAsync(i), 50_000);
    Console.WriteLine($"local grain call latency, one caller: p50 {p50:0.0} µs, p99 {p99:0.0} µs");
}

async Task RemoteAsync()
{
    await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { InitialSilosCount = 2, Grains = grains });
    var caller = cluster.Silos[0];
    var target = cluster.Silos[1];

    // Keys whose owner is the other silo, so every call crosses the loopback connection.
    var keys = new List<string>();
    for (var i = 0; keys.Count < 64; i++)
    {
        var key = "remote-" + i;
        await caller.GrainFactory.GetGrain<IPingGrain>(key).PingAsync();
        if (target.HasActivation(new GrainId("ping", key)))
        {
            keys.Add(key);
        }
    }

    var refs = keys.Select(k => caller.GrainFactory.GetGrain<IPingGrain>(k)).ToArray();
    var remote = await ThroughputAsync(i => refs[i % refs.Length].EchoAsync(i), workers: 100, callsPerWorker: 2_000, runs: 7);
    Report("cross-silo grain calls (silo A -> grains on silo B over loopback TCP, 100 concurrent callers)", remote);
    var (p50, p99) = await LatencyAsync(i => refs[0].EchoAsync(i), 20_000);
    Console.WriteLine($"cross-silo call latency, one caller: p50 {p50:0.0} µs, p99 {p99:0.0} µs");

    var client = cluster.Client;
    var viaGateway = keys.Select(k => client.GetGrain<IPingGrain>(k)).ToArray();
    var (c50, c99) = await LatencyAsync(i => viaGateway[0].EchoAsync(i), 10_000);
    Console.WriteLine($"client call latency (client -> gateway silo -> grain), one caller: p50 {c50:0.0} µs, p99 {c99:0.0} µs");
}

async Task ActivationsAsync()
{
    await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { InitialSilosCount = 1, Grains = grains });
    var factory = cluster.Silos[0].GrainFactory;
    var rates = new List<double>();
    for (var run = 0; run < 5; run++)
    {
        const int count = 20_000;
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await factory.GetGrain<IPingGrain>($"act-{run}-{i}").PingAsync();
            }
        }));
        rates.Add(count / watch.Elapsed.TotalSeconds);
    }

    Console.WriteLine($"activations/s (first call to a new grain, 64 concurrent): median {Stats.Median(rates.Skip(1)):0} (runs: {string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
}

async Task MemoryAsync()
{
    await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { InitialSilosCount = 1, Grains = grains });
    var factory = cluster.Silos[0].GrainFactory;
    await factory.GetGrain<IPingGrain>("warm").PingAsync();
    const int count = 50_000;
    var before = GC.GetTotalMemory(forceFullCollection: true);
    for (var batch = 0; batch < count; batch += 1000)
    {
        await Task.WhenAll(Enumerable.Range(batch, 1000).Select(i => factory.GetGrain<IPingGrain>("mem-" + i).PingAsync().AsTask()));
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"memory per idle activation (stateless grain, {count} activations, includes catalog entry, scheduler, queue and the grain object): {(after - before) / (double)count:0} bytes ({cluster.Silos[0].ActivationCount} activations)");
}

async Task DetectionAsync(int runs)
{
    var times = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { InitialSilosCount = 3, Grains = grains });
        var victim = cluster.Silos[2];
        var survivors = cluster.Silos.Take(2).ToList();
        await Task.Delay(300);
        var watch = Stopwatch.StartNew();
        await victim.KillAsync();
        await Task.WhenAll(survivors.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(victim.Address) == SiloStatus.Dead, CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    var sorted = times.Order().ToList();
    Console.WriteLine($"failure detection, kill -> Dead in every survivor's view (3 silos, defaults, {runs} runs): min {sorted[0]:0} ms, p50 {Stats.Percentile(sorted, 50):0} ms, p99 {Stats.Percentile(sorted, 99):0} ms, max {sorted[^1]:0} ms");
    Console.WriteLine($"  runs: {string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}");

    // A silo that stays up but stops answering probes is found through probe timeouts instead of refusals.
    var hung = new List<double>();
    for (var run = 0; run < Math.Max(5, runs / 4); run++)
    {
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { InitialSilosCount = 3, Grains = grains });
        var victim = cluster.Silos[2];
        var survivors = cluster.Silos.Take(2).ToList();
        await Task.Delay(300);
        var watch = Stopwatch.StartNew();
        victim.SuspendProbeResponses = true;
        await Task.WhenAll(survivors.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(victim.Address) == SiloStatus.Dead, CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        hung.Add(watch.Elapsed.TotalMilliseconds);
    }

    var hungSorted = hung.Order().ToList();
    Console.WriteLine($"failure detection, silo stops answering probes -> Dead (3 silos, defaults, {hung.Count} runs): min {hungSorted[0]:0} ms, p50 {Stats.Percentile(hungSorted, 50):0} ms, max {hungSorted[^1]:0} ms");
}

static async Task<List<double>> ThroughputAsync(Func<int, Task<int>> call, int workers, int callsPerWorker, int runs)
{
    var rates = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            for (var i = 0; i < callsPerWorker; i++)
            {
                await call(w);
            }
        }));
        rates.Add(workers * (double)callsPerWorker / watch.Elapsed.TotalSeconds);
    }

    return rates;
}

static async Task<(double P50, double P99)> LatencyAsync(Func<int, Task<int>> call, int count)
{
    for (var i = 0; i < count / 10; i++)
    {
        await call(i);
    }

    var samples = new double[count];
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await call(i);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    Array.Sort(samples);
    return (Stats.Percentile(samples, 50), Stats.Percentile(samples, 99));
}

static void Report(string name, List<double> rates)
{
    // The first run is warm-up (JIT, tiering, pools).
    var measured = rates.Skip(1).ToList();
    Console.WriteLine($"{name}: median {Stats.Median(measured):0} calls/s (runs: {string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
}
