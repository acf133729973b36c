using System.Diagnostics;
using System.Globalization;
using System.Net;
using AviOrleans.Gateway;
using AviOrleans.Grains;
using Grpc.Net.Client;
using Api = AviOrleans.Api.V1;
using Domain = AviOrleans.Domain;

// Creating virtual services on the HA grains (one silo, Orleans memory storage): creates/s and
// latency of CreateVirtualService through the gateway (h2c, loopback) and directly on the grain-backed
// control plane in the same run, one at a time and 64 at a time (the group decides concurrent
// creates together: one engine run, one write). Prints a Markdown table for bench/results/grains.md.
var quick = args.Contains("--quick");
var large = quick ? 2_000 : 10_000;
var small = quick ? 200 : 1_000;
var inv = CultureInfo.InvariantCulture;

await using var grains = await LocalHaHost.StartAsync();
var cp = grains.ControlPlane;
await using var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, cp);
using var channel = GrpcChannel.ForAddress(host.Address);
var virtualServices = new Api.VirtualServiceService.VirtualServiceServiceClient(channel);

Console.WriteLine(string.Create(inv, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
Console.WriteLine();
Console.WriteLine("| creates | path | concurrency | VSs in the group after | creates/s | p50 ms | p99 ms | group epoch after |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");

var address = 0;

// Warm-up (JIT, first activations), not reported.
var report = false;
await RunAsync("warm-up", 16, small, (vs, _) => CreateThroughGatewayAsync(vs));
report = true;
await RunAsync("control plane", 1, small, (vs, _) => cp.CreateVirtualServiceAsync(vs, false, default));
await RunAsync("control plane", 64, large, (vs, _) => cp.CreateVirtualServiceAsync(vs, false, default));
await RunAsync("avi.v1 CreateVirtualService (h2c)", 1, small, (vs, _) => CreateThroughGatewayAsync(vs));
await RunAsync("avi.v1 CreateVirtualService (h2c)", 64, large, (vs, _) => CreateThroughGatewayAsync(vs));
GC.Collect();
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Process working set after all runs: {Environment.WorkingSet / (1024 * 1024)} MiB; managed heap {GC.GetTotalMemory(true) / (1024 * 1024)} MiB."));

async Task RunAsync(string path, int concurrency, int count, Func<Domain.VirtualService, int, Task> create)
{
    var group = $"g-{path.Length}-{concurrency}-{count}";
    var ses = Math.Max(2, (count / 1000) + 2);
    await cp.CreateServiceEngineGroupAsync(new Domain.ServiceEngineGroup { Name = group, MaxVsPerSe = 1000, MaxSe = ses, BufferSe = 1 }, false, default);
    for (var i = 0; i < ses; i++)
    {
        await cp.CreateServiceEngineAsync(new Domain.ServiceEngine { Name = $"{group}-se-{i}", SeGroupRef = group }, false, default);
    }

    var latencies = new double[count];
    var next = -1;
    var total = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var n = Interlocked.Increment(ref address);
            var vs = new Domain.VirtualService
            {
                Name = $"{group}-vs-{i:D5}",
                SeGroupRef = group,
                Vip = [new Domain.Vip { VipId = "0", Ip6Address = string.Create(inv, $"2001:db8::{n:x}") }],
            };
            var one = Stopwatch.StartNew();
            await create(vs, i);
            latencies[i] = one.Elapsed.TotalMilliseconds;
        }
    }));
    total.Stop();
    Array.Sort(latencies);
    var placed = await cp.ListVirtualServicePlacementsAsync(group, default);
    if (placed.Count != count || placed.Any(p => p.Placement.PrimarySeRef is null))
    {
        throw new InvalidOperationException($"{group}: {placed.Count} placements, {placed.Count(p => p.Placement.PrimarySeRef is null)} unplaced");
    }

    var epoch = (await cp.GetGroupPlacementAsync(group, default)).Epoch;
    if (!report)
    {
        return;
    }

    Console.WriteLine(string.Create(inv, $"| {count:N0} | {path} | {concurrency} | {placed.Count:N0} | {count / total.Elapsed.TotalSeconds:F0} | {latencies[count / 2]:F2} | {latencies[(int)(count * 0.99)]:F2} | {epoch} |"));
}

async Task CreateThroughGatewayAsync(Domain.VirtualService vs)
{
    var request = new Api.CreateVirtualServiceRequest
    {
        VirtualService = new Api.VirtualService { Name = vs.Name, SeGroupRef = vs.SeGroupRef, Vip = { new Api.Vip { VipId = "0", Ip6Address = vs.Vip[0].Ip6Address } } },
    };
    await virtualServices.CreateVirtualServiceAsync(request);
}
