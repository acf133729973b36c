using System.Diagnostics;
using System.Globalization;
using AviOrleans.Bench.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

// Usage: dotnet run -c Release --project bench/AviOrleans.Bench.Cluster -- all|calls|memory|detection|freeze|saturation|controlplane [runs|minutes|virtual services] [sqlite|postgres]
// ("all" leaves out controlplane: 10,000 virtual services by default, on 11 silo processes.)
// The store is the silo's: SQLite (default) or the PostgreSQL server of AVIORLEANS_TEST_POSTGRES.
var which = args.Length > 0 ? args[0] : "all";
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
using var store = new BenchStore(args.Length > 2 ? args[2] : "sqlite");
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"# Orleans cluster bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, store {store.Kind}, load average {Stats.LoadAverage()}");

if (which is "controlplane")
{
    await ControlPlaneBench.RunAsync(store, count > 0 ? count : 10_000);
}

if (which is "all" or "calls")
{
    await CallsAsync();
}

if (which is "all" or "memory")
{
    await MemoryAsync();
}

if (which is "all" or "detection")
{
    foreach (var profile in new[] { "fast", "orleans-default" })
    {
        await DetectionAsync(profile, freeze: false, count > 0 ? count : 20);
    }
}

if (which is "all" or "freeze")
{
    await DetectionAsync("fast", freeze: true, count > 0 ? count : 20);
    await DetectionAsync("orleans-default", freeze: true, count > 0 ? Math.Min(count, 5) : 5);
}

if (which is "all" or "saturation")
{
    await SaturationAsync(TimeSpan.FromMinutes(count > 0 ? count : 5));
}

Console.WriteLine($"# done, load average {Stats.LoadAverage()}");

async Task CallsAsync()
{
    // Local: one silo, the caller on the grain's silo.
    var single = await InProcessSilos.StartAsync(1, "bench-local-" + Guid.NewGuid().ToString("N")[..6], store);
    try
    {
        var local = InProcessSilos.Grains(single[0]);
        var localRefs = Enumerable.Range(0, 64).Select(i => local.GetGrain<IPingGrain>("local-" + i)).ToArray();
        await Task.WhenAll(localRefs.Select(r => r.PingAsync().AsTask()));
        var localRates = await ThroughputAsync(i => localRefs[i % localRefs.Length].EchoAsync(i), workers: 100, callsPerWorker: 2_000, runs: 7);
        Report("local grain calls (caller and grain on one silo, 64 grains, 100 concurrent callers)", localRates);
        var (l50, l99) = await LatencyAsync(i => localRefs[0].EchoAsync(i), 20_000);
        Console.WriteLine($"local grain call latency, one caller: p50 {l50:0.0} µs, p99 {l99:0.0} µs");
    }
    finally
    {
        await InProcessSilos.StopAsync(single);
    }

    // Cross-silo: grains activated from silo B (placed there), called from silo A over loopback TCP.
    var hosts = await InProcessSilos.StartAsync(2, "bench-remote-" + Guid.NewGuid().ToString("N")[..6], store);
    try
    {
        var remoteOwner = InProcessSilos.Grains(hosts[1]);
        var keys = Enumerable.Range(0, 64).Select(i => "remote-" + i).ToArray();
        await Task.WhenAll(keys.Select(k => remoteOwner.GetGrain<IPingGrain>(k).PingAsync().AsTask()));
        var remoteRefs = keys.Select(k => InProcessSilos.Grains(hosts[0]).GetGrain<IPingGrain>(k)).ToArray();
        var remoteRates = await ThroughputAsync(i => remoteRefs[i % remoteRefs.Length].EchoAsync(i), workers: 100, callsPerWorker: 1_000, runs: 7);
        Report("cross-silo grain calls (silo A -> grains on silo B over loopback TCP, 100 concurrent callers)", remoteRates);
        var (r50, r99) = await LatencyAsync(i => remoteRefs[0].EchoAsync(i), 10_000);
        Console.WriteLine($"cross-silo call latency, one caller: p50 {r50:0.0} µs, p99 {r99:0.0} µs");

        // A client through silo A's gateway to a grain on silo B.
        var details = hosts[0].Services.GetRequiredService<ILocalSiloDetails>();
        var client = await InProcessSilos.StartClientAsync(details.ClusterId, store);
        var viaGateway = InProcessSilos.Grains(client).GetGrain<IPingGrain>(keys[0]);
        var (c50, c99) = await LatencyAsync(i => viaGateway.EchoAsync(i), 5_000);
        Console.WriteLine($"client call latency (client -> gateway silo -> grain on the other silo), one caller: p50 {c50:0.0} µs, p99 {c99:0.0} µs");
        await InProcessSilos.StopAsync([client]);
    }
    finally
    {
        await InProcessSilos.StopAsync(hosts);
    }

    var direct = new DirectPing();
    var directRates = await ThroughputAsync(i => direct.EchoAsync(i), workers: 100, callsPerWorker: 20_000, runs: 5);
    Report("baseline: direct interface call (no runtime)", directRates);
}

async Task MemoryAsync()
{
    var hosts = await InProcessSilos.StartAsync(1, "bench-memory-" + Guid.NewGuid().ToString("N")[..6], store);
    try
    {
        var grains = InProcessSilos.Grains(hosts[0]);
        await grains.GetGrain<IStatefulGrain>("warm").TouchAsync();
        await grains.GetGrain<IEmptyGrain>("warm").TouchAsync();
        const int n = 50_000;
        var stateful = await PerActivationAsync(n, i => grains.GetGrain<IStatefulGrain>("mem-" + i).TouchAsync());
        var empty = await PerActivationAsync(n, i => grains.GetGrain<IEmptyGrain>("mem-" + i).TouchAsync());
        Console.WriteLine($"memory per idle activation with state (SE-like state: name, epoch, 2 VIPs; the store's grain storage read at activation; {n} activations): {stateful:0} bytes");
        Console.WriteLine($"memory per idle activation without state ({n} activations): {empty:0} bytes");
    }
    finally
    {
        await InProcessSilos.StopAsync(hosts);
    }
}

static async Task<double> PerActivationAsync(int n, Func<int, ValueTask> touch)
{
    var before = GC.GetTotalMemory(forceFullCollection: true);
    for (var batch = 0; batch < n; batch += 1000)
    {
        await Task.WhenAll(Enumerable.Range(batch, 1000).Select(i => touch(i).AsTask()));
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    return (after - before) / (double)n;
}

// Three real silo processes on one store; per run the victim (se-3) is killed (SIGKILL) or frozen (SIGSTOP), and the time until both survivors' views show it Dead is taken from the
// survivors' own timestamps. The victim is then replaced by a new incarnation and the next run starts once all agree.
async Task DetectionAsync(string profile, bool freeze, int runs)
{
    var clusterId = $"bench-{(freeze ? "freeze" : "kill")}-{profile}-{Guid.NewGuid().ToString("N")[..6]}";
    var silos = new List<SiloProcess>
    {
        SiloProcess.Start("se-1", InProcessSilos.FreePort(), clusterId, profile, store),
    };
    await UntilAsync(() => silos[0].Saw("se-1", "Active", DateTimeOffset.MinValue) is not null, TimeSpan.FromSeconds(60));
    silos.Add(SiloProcess.Start("se-2", InProcessSilos.FreePort(), clusterId, profile, store));
    var victimPort = InProcessSilos.FreePort();
    var times = new List<double>();
    var since = DateTimeOffset.MinValue;
    try
    {
        for (var run = 0; run < runs; run++)
        {
            var victim = SiloProcess.Start("se-3", victimPort, clusterId, profile, store);
            var all = silos.Append(victim).ToList();
            await UntilAsync(() => all.All(s => s.Saw("se-3", "Active", since) is not null && s.Saw("se-2", "Active", DateTimeOffset.MinValue) is not null), TimeSpan.FromSeconds(120));

            // Let the probes settle on the new incarnation (adaptive timeouts start from ProbeTimeout).
            await Task.Delay(TimeSpan.FromSeconds(2));
            var start = DateTimeOffset.UtcNow;
            if (freeze)
            {
                victim.Stop();
            }
            else
            {
                victim.Kill();
            }

            await UntilAsync(() => silos.All(s => s.Saw("se-3", "Dead", start) is not null), TimeSpan.FromMinutes(5));
            var dead = silos.Max(s => s.Saw("se-3", "Dead", start)!.Value);
            times.Add((dead - start).TotalMilliseconds);
            victim.Dispose();
            since = DateTimeOffset.UtcNow;
        }
    }
    finally
    {
        foreach (var silo in Enumerable.Reverse(silos))
        {
            silo.Dispose();
        }
    }

    var sorted = times.Order().ToList();
    Console.WriteLine($"{(freeze ? "SIGSTOP" : "SIGKILL")} -> Dead in every survivor's view, 3 silo processes, store {store.Kind}, membership {profile}, {runs} runs: min {sorted[0]:0} ms, median {Stats.Percentile(sorted, 50):0} ms, p99 {Stats.Percentile(sorted, 99):0} ms, max {sorted[^1]:0} ms");
    Console.WriteLine($"  runs (ms): {string.Join(", ", times.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}; load average {Stats.LoadAverage()}");
}

// Three silo processes at the fast profile while 2 x cores threads spin at normal priority in this process: any Dead
// in any view is a false death.
async Task SaturationAsync(TimeSpan duration)
{
    var clusterId = "bench-saturation-" + Guid.NewGuid().ToString("N")[..6];
    var silos = new List<SiloProcess> { SiloProcess.Start("se-1", InProcessSilos.FreePort(), clusterId, "fast", store) };
    await UntilAsync(() => silos[0].Saw("se-1", "Active", DateTimeOffset.MinValue) is not null, TimeSpan.FromSeconds(60));
    silos.Add(SiloProcess.Start("se-2", InProcessSilos.FreePort(), clusterId, "fast", store));
    silos.Add(SiloProcess.Start("se-3", InProcessSilos.FreePort(), clusterId, "fast", store));
    try
    {
        await UntilAsync(() => silos.All(s => s.Saw("se-2", "Active", DateTimeOffset.MinValue) is not null && s.Saw("se-3", "Active", DateTimeOffset.MinValue) is not null), TimeSpan.FromSeconds(120));
        var stop = false;
        var spinners = Enumerable.Range(0, 2 * Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            var x = 0UL;
            while (!Volatile.Read(ref stop))
            {
                x++;
            }

            GC.KeepAlive(x);
        }) { IsBackground = true }).ToList();
        var loads = new List<string>();
        var watch = Stopwatch.StartNew();
        spinners.ForEach(t => t.Start());
        while (watch.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            loads.Add(Stats.LoadAverage().Split(' ')[0]);
        }

        Volatile.Write(ref stop, true);
        spinners.ForEach(t => t.Join());
        var deaths = silos.Sum(s => s.Count("Dead"));
        var exited = silos.Count(s => s.HasExited);
        Console.WriteLine($"CPU saturation ({spinners.Count} spinning threads on {Environment.ProcessorCount} cores) for {duration.TotalMinutes:0} min, 3 silo processes at the fast profile, store {store.Kind}: {deaths} Dead in any view, {exited} silo processes exited; 1-min load average every 30 s: {string.Join(", ", loads)}");
    }
    finally
    {
        foreach (var silo in Enumerable.Reverse(silos))
        {
            silo.Dispose();
        }
    }
}

static async Task UntilAsync(Func<bool> condition, TimeSpan bound)
{
    var watch = Stopwatch.StartNew();
    while (!condition())
    {
        if (watch.Elapsed > bound)
        {
            throw new TimeoutException("the cluster did not get there within " + bound);
        }

        await Task.Delay(5);
    }
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

static async Task<(double P50, double P99)> LatencyAsync(Func<int, Task<int>> call, int n)
{
    for (var i = 0; i < n / 10; i++)
    {
        await call(i);
    }

    var samples = new double[n];
    for (var i = 0; i < n; i++)
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
