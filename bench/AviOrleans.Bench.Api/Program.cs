using System.Diagnostics;
using System.Globalization;
using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Domain;
using AviOrleans.Gateway;
using AviOrleans.Grains;
using Grpc.Net.Client;

// End-to-end cost of one avi.v1 read, HaService/GetVirtualServicePlacement, through the whole
// stack (Grpc.Net.Client's generated client -> HTTP/2 h2c on loopback -> Kestrel -> Grpc.AspNetCore
// -> bearer-token authorization -> the gateway's interceptor and service -> control plane -> proto
// mapping), against the same read made directly on the control plane in the same run (the floor
// without the API). Also one write, HaService/SwitchoverVirtualService, which re-runs placement for
// the group. Prints a Markdown table for bench/results/api.md.
var quick = args.Contains("--quick");
var calls = quick ? 500 : 4000;
var runs = quick ? 2 : 3;
var inv = CultureInfo.InvariantCulture;

await using var grains = await LocalHaHost.StartAsync();
var controlPlane = grains.ControlPlane;
await controlPlane.CreateServiceEngineGroupAsync(new AviOrleans.Domain.ServiceEngineGroup { Name = "nm", MaxVsPerSe = 20, BufferSe = 1 }, false, default);
for (var i = 0; i < 10; i++)
{
    await controlPlane.CreateServiceEngineAsync(new AviOrleans.Domain.ServiceEngine { Name = $"se-{i:D2}", SeGroupRef = "nm" }, false, default);
}

await controlPlane.CreateServiceEngineGroupAsync(new AviOrleans.Domain.ServiceEngineGroup { Name = "pair", HaMode = AviOrleans.Domain.HaMode.LegacyActiveStandby, MaxSe = 2, BufferSe = 0 }, false, default);
await controlPlane.CreateServiceEngineAsync(new AviOrleans.Domain.ServiceEngine { Name = "se-a", SeGroupRef = "pair" }, false, default);
await controlPlane.CreateServiceEngineAsync(new AviOrleans.Domain.ServiceEngine { Name = "se-b", SeGroupRef = "pair" }, false, default);
for (var i = 0; i < 100; i++)
{
    await controlPlane.CreateVirtualServiceAsync(new AviOrleans.Domain.VirtualService
    {
        Name = $"vs-{i:D3}",
        SeGroupRef = i < 90 ? "nm" : "pair",
        Vip = [new AviOrleans.Domain.Vip { VipId = "0", IpAddress = $"192.0.2.{i + 1}" }],
    }, false, default);
}

// With a token, as a production gateway runs: the authentication and authorization cost is in the figures.
var options = new GatewayOptions { Address = IPAddress.Loopback, Port = 0 };
options.Tokens.Add(new BearerToken { Name = "bench", Role = GatewayRole.Admin, Token = "bench-admin-token" });
await using var host = await GatewayHost.StartAsync(options, controlPlane);
using var channel = GrpcChannel.ForAddress(host.Address);
var ha = new HaService.HaServiceClient(channel);
var headers = new Grpc.Core.Metadata { { "authorization", "Bearer bench-admin-token" } };

Console.WriteLine(string.Create(inv, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {calls} calls per run, {runs} runs, medians over runs"));
Console.WriteLine();
Console.WriteLine("| call | concurrency | calls/s | p50 µs | p99 µs |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");

var names = Enumerable.Range(0, 100).Select(i => $"vs-{i:D3}").ToArray();
foreach (var concurrency in new[] { 1, 16, 64 })
{
    await Report("control plane only: GetVirtualServicePlacementAsync", concurrency, i => controlPlane.GetVirtualServicePlacementAsync(names[i % names.Length], default));
    await Report("avi.v1 GetVirtualServicePlacement (h2c)", concurrency, async i => await ha.GetVirtualServicePlacementAsync(
        new() { VirtualServiceRef = names[i % names.Length] }, headers));
}

// Writes are serialized by the control plane; more concurrency queues them (the 64 row shows how).
var legacy = names[90..];
foreach (var concurrency in new[] { 1, 64 })
{
    await Report("control plane only: switchover (re-places the group)", concurrency, i => controlPlane.RequestAsync("pair", new VsSwitchoverRequest { VsRef = legacy[i % legacy.Length] }, default));
    await Report("avi.v1 SwitchoverVirtualService (h2c)", concurrency, async i => await ha.SwitchoverVirtualServiceAsync(
        new() { VirtualServiceRef = legacy[i % legacy.Length] }, headers));
}

Console.WriteLine();
Console.WriteLine("load average (1/5/15 min) at the end: " + (File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a"));

async Task Report(string name, int concurrency, Func<int, Task> call)
{
    var rates = new List<double>();
    var p50s = new List<double>();
    var p99s = new List<double>();
    for (var run = -1; run < runs; run++)
    {
        // Run -1 is the warm-up (JIT, connection, pools); not reported.
        var latencies = new double[calls];
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls)
            {
                var start = Stopwatch.GetTimestamp();
                await call(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }));
        wall.Stop();
        if (run < 0)
        {
            continue;
        }

        Array.Sort(latencies);
        rates.Add(calls / wall.Elapsed.TotalSeconds);
        p50s.Add(latencies[calls / 2]);
        p99s.Add(latencies[(int)Math.Ceiling(calls * 0.99) - 1]);
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    Console.WriteLine(string.Create(inv, $"| {name} | {concurrency} | {Median(rates):F0} | {Median(p50s):F0} | {Median(p99s):F0} |"));
}
