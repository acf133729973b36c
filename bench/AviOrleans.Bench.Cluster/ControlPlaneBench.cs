using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grpc.Net.Client;
using V1 = AviOrleans.Api.V1;

namespace AviOrleans.Bench.Cluster;

/// <summary>
/// The control plane at scale: one N+M group whose SEs are real silo processes (one per SE, as in production) on the
/// bench's store, and N virtual services created through the avi.v1 gateway of the first silo, 64 at a time. Reports
/// creates/s per thousand (a decision validates, places and writes the whole group, so each one costs more as the group
/// grows; concurrent creates share decisions), when every virtual service was placed, and the silos' resident memory
/// before and after.
/// </summary>
internal static class ControlPlaneBench
{
    private const int MaxVsPerSe = 1000;
    private const int Concurrency = 64;

    public static async Task RunAsync(BenchStore store, int virtualServices)
    {
        var ses = (virtualServices + MaxVsPerSe - 1) / MaxVsPerSe + 1;
        var clusterId = "bench-cp-" + Guid.NewGuid().ToString("N")[..6];
        var gatewayPort = InProcessSilos.FreePort();
        var silos = new List<SiloProcess>();

        // Every silo has its own connection pool; together they must fit PostgreSQL's max_connections (100 by default,
        // 3 reserved): with Npgsql's default of 100 per silo, eleven silos ran the server out of connections.
        store.MaxPoolSize = Math.Max(4, 90 / ses);
        try
        {
            // One at a time, as SE hosts come up, and with Orleans' default failure detection (5 s probes): eleven silo
            // processes share two cores here, where each SE has a host of its own in production, and with the fast
            // profile (250 ms probe timeout) a joining silo busy compiling was declared dead by the others (se-07 of 8).
            // This bench measures the control plane, not detection (bench/results/runtime.md has that).
            var started = DateTimeOffset.UtcNow;
            for (var i = 0; i < ses; i++)
            {
                var silo = SiloProcess.Start(SeName(i), InProcessSilos.FreePort(), clusterId, "orleans-default", store, i == 0 ? new IPEndPoint(IPAddress.Loopback, gatewayPort) : null, "warning");
                silos.Add(silo);
                await WaitUntilAsync(() => silos[0].Saw(silo.Name, "Active", started) is not null, TimeSpan.FromMinutes(1), () => $"{silo.Name} Active in {SeName(0)}'s view ({silo.Describe()})");
            }

            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{gatewayPort}");
            var groups = new V1.ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);
            var engines = new V1.ServiceEngineService.ServiceEngineServiceClient(channel);
            var vss = new V1.VirtualServiceService.VirtualServiceServiceClient(channel);
            var ha = new V1.HaService.HaServiceClient(channel);
            await RetryUntilServingAsync(() => groups.CreateServiceEngineGroupAsync(new V1.CreateServiceEngineGroupRequest
            {
                ServiceEngineGroup = new V1.ServiceEngineGroup { Name = "cp", HaMode = V1.HaMode.Shared, MaxVsPerSe = MaxVsPerSe, MaxSe = ses, BufferSe = 1 },
            }).ResponseAsync);
            for (var i = 0; i < ses; i++)
            {
                await engines.CreateServiceEngineAsync(new V1.CreateServiceEngineRequest { ServiceEngine = new V1.ServiceEngine { Name = SeName(i), SeGroupRef = "cp" } });
            }

            var idle = silos.Select(s => s.ResidentMiB()).ToArray();
            Console.WriteLine($"## Control plane: {virtualServices:N0} virtual services through the gateway, {ses} SEs (silo processes), store {store.Kind}");
            Console.WriteLine();
            Console.WriteLine($"{Concurrency} concurrent CreateVirtualService calls (h2c, no token) on the gateway of {SeName(0)}; one N+M group, max_vs_per_se {MaxVsPerSe}, buffer_se 1; VIPs from 198.18.0.0/15.");
            Console.WriteLine();
            Console.WriteLine("| virtual services | creates/s | p50 ms | p99 ms |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            var latencies = new double[virtualServices];
            var next = -1;
            var total = Stopwatch.StartNew();
            var lastSlice = TimeSpan.Zero;
            var sliceDone = new int[(virtualServices + 999) / 1000];
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < virtualServices)
                {
                    var one = Stopwatch.GetTimestamp();
                    var index = i;
                    await RetryUntilServingAsync(() => vss.CreateVirtualServiceAsync(new V1.CreateVirtualServiceRequest
                    {
                        VirtualService = new V1.VirtualService
                        {
                            Name = $"vs-{index:D5}",
                            SeGroupRef = "cp",
                            Vip = { new V1.Vip { VipId = "0", IpAddress = $"198.{18 + (index >> 16)}.{(index >> 8) & 0xFF}.{index & 0xFF}" } },
                        },
                    }).ResponseAsync);
                    latencies[i] = Stopwatch.GetElapsedTime(one).TotalMilliseconds;
                    var slice = i / 1000;
                    if (Interlocked.Increment(ref sliceDone[slice]) == Math.Min(1000, virtualServices - slice * 1000))
                    {
                        lock (sliceDone)
                        {
                            Report(slice, latencies, total.Elapsed - lastSlice);
                            lastSlice = total.Elapsed;
                        }
                    }
                }
            }));
            var created = total.Elapsed;
            var placed = await CountPlacedAsync(ha);
            var allPlaced = created;
            for (var attempt = 0; placed < virtualServices && attempt < 120; attempt++)
            {
                await Task.Delay(500);
                placed = await CountPlacedAsync(ha);
                allPlaced = total.Elapsed;
            }

            Array.Sort(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| all {virtualServices:N0} | {virtualServices / created.TotalSeconds:F0} | {latencies[virtualServices / 2]:F1} | {latencies[(int)(virtualServices * 0.99)]:F1} |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Created in {created.TotalSeconds:F1} s; {placed:N0} of {virtualServices:N0} placed (a primary SE) {allPlaced.TotalSeconds:F1} s after the first create: {placed / allPlaced.TotalSeconds:F0} placements/s."));
            var loaded = silos.Select(s => s.ResidentMiB()).ToArray();
            var busiest = Enumerable.Range(0, ses).MaxBy(i => loaded[i] - idle[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Silo resident memory (VmRSS): {idle.Sum():N0} MiB for the {ses} silos before the virtual services, {loaded.Sum():N0} MiB after; the silo that grew most ({SeName(busiest)}, the group's host) {idle[busiest]:N0} -> {loaded[busiest]:N0} MiB; per silo after: {string.Join(", ", loaded.Select(m => m.ToString("N0", CultureInfo.InvariantCulture)))} MiB."));
            Console.WriteLine($"Calls answered UNAVAILABLE or DEADLINE_EXCEEDED and made again: {_retried} (of which found created by an earlier attempt: {_foundCreated}).");
            Console.WriteLine($"Silos declared dead during the run (in {SeName(0)}'s view): {silos[0].Count("Dead")}; silos that exited: {silos.Count(s => s.HasExited)}.");
        }
        catch
        {
            var folder = Directory.CreateTempSubdirectory("aviorleans-bench-controlplane-").FullName;
            foreach (var silo in silos)
            {
                silo.SaveErrors(Path.Combine(folder, silo.Name + ".log"));
            }

            Console.Error.WriteLine($"The silos' warnings and errors: {folder}");
            throw;
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
        }
    }

    private static string SeName(int index) => $"se-{index:D2}";

    private static void Report(int slice, double[] latencies, TimeSpan took)
    {
        var from = slice * 1000;
        var count = Math.Min(1000, latencies.Length - from);
        var sorted = latencies.AsSpan(from, count).ToArray();
        Array.Sort(sorted);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {from + 1:N0}-{from + count:N0} | {count / took.TotalSeconds:F0} | {sorted[count / 2]:F1} | {sorted[(int)(count * 0.99)]:F1} |"));
    }

    private static async Task<int> CountPlacedAsync(V1.HaService.HaServiceClient ha)
    {
        var placed = 0;
        var token = string.Empty;
        do
        {
            var page = await ha.ListVirtualServicePlacementsAsync(new V1.ListVirtualServicePlacementsRequest { SeGroupRef = "cp", PageSize = 1000, PageToken = token });
            placed += page.Placements.Count(p => p.Vip.Any(v => v.ActiveSeRef.Length > 0));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return placed;
    }

    private static int _retried;
    private static int _foundCreated;

    /// <summary>Calls until the gateway answers OK; UNAVAILABLE and DEADLINE_EXCEEDED are retried (counted and the first
    /// ones shown); ALREADY_EXISTS after such an answer means the earlier attempt was carried out after all.</summary>
    private static async Task RetryUntilServingAsync(Func<Task> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.AlreadyExists && attempt > 0)
            {
                Interlocked.Increment(ref _foundCreated);
                return;
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded && attempt < 120)
            {
                if (Interlocked.Increment(ref _retried) <= 20)
                {
                    Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} attempt {attempt + 1}: {ex.StatusCode} {ex.Status.Detail}");
                }

                await Task.Delay(500);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"not reached within {timeout.TotalSeconds:0} s: {what()}");
            }

            await Task.Delay(200);
        }
    }
}
