using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AviOrleans.Bench.Grpc;

// Unary calls/s and latency at 1, 16 and 64 concurrent calls, and a server-streaming message
// rate, through Grpc.AspNetCore + Grpc.Net.Client and against the same handler served as bare
// HTTP/2 (the floor), measured alternately in the same process and run. (Until the commit that
// deleted it, a third path measured the hand-written transport of src/AviOrleans.Grpc; its last
// figures are kept in bench/results/grpc.md.) Usage:
//   dotnet run -c Release --project bench/AviOrleans.Bench.Grpc -- [--seconds 3] [--runs 3] [--out bench/results/grpc.md]
// or, to profile one path alone (e.g. under perf with DOTNET_PerfMapEnabled=1):
//   dotnet run -c Release --project bench/AviOrleans.Bench.Grpc -- --profile grpc|plain --seconds 10
var seconds = 3.0;
var runs = 3;
string? output = null;
string? profile = null;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--profile": profile = args[++i]; break;
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--out": output = args[++i]; break;
    }
}

await using var server = await BenchServer.StartAsync();
using var clients = new BenchClients(server.Address);
var request = new GetRequest { Name = "web-frontend" };
var duration = TimeSpan.FromSeconds(seconds);
var report = new StringBuilder();
var culture = CultureInfo.InvariantCulture;

Console.WriteLine($"server {server.Address}, {runs} runs x {seconds} s per point");

if (profile is not null)
{
    // One path only, 16 callers, for a profiler attached from outside (perf with DOTNET_PerfMapEnabled=1).
    Func<Task> target = profile == "grpc" ? () => clients.GrpcGetAsync(request) : () => clients.PlainGetAsync(request);
    await Measure.UnaryAsync(target, 16, TimeSpan.FromSeconds(3));
    var single = await Measure.UnaryAsync(target, 16, TimeSpan.FromSeconds(seconds));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{profile}: {single.CallsPerSecond:F0} calls/s, {single.CpuUsPerCall:F1} CPU µs/call"));
    return;
}

// Bytes allocated per call in this process (client and server together), sequential calls.
async Task<double> AllocatedPerCallAsync(Func<Task> call)
{
    for (var i = 0; i < 2000; i++)
    {
        await call();
    }

    var before = GC.GetTotalAllocatedBytes(precise: true);
    for (var i = 0; i < 5000; i++)
    {
        await call();
    }

    return (GC.GetTotalAllocatedBytes(precise: true) - before) / 5000.0;
}

var plainAlloc = await AllocatedPerCallAsync(() => clients.PlainGetAsync(request));
var grpcAlloc = await AllocatedPerCallAsync(() => clients.GrpcGetAsync(request));
var allocLine = string.Create(CultureInfo.InvariantCulture, $"allocated per unary call (client + server): floor {plainAlloc:F0} B, gRPC {grpcAlloc:F0} B");
Console.WriteLine(allocLine);
report.AppendLine("| calls | concurrency | floor calls/s | gRPC calls/s | cost (rate) | floor CPU µs/call | gRPC CPU µs/call | cost (CPU) | floor p50 / p99 (µs) | gRPC p50 / p99 (µs) |");
report.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (var concurrency in new[] { 1, 16, 64 })
{
    // Warm-up both paths (JIT, connections, pools).
    await Measure.UnaryAsync(() => clients.PlainGetAsync(request), concurrency, TimeSpan.FromSeconds(1));
    await Measure.UnaryAsync(() => clients.GrpcGetAsync(request), concurrency, TimeSpan.FromSeconds(1));
    var plain = new List<UnaryResult>();
    var grpc = new List<UnaryResult>();
    for (var run = 0; run < runs; run++)
    {
        plain.Add(await Measure.UnaryAsync(() => clients.PlainGetAsync(request), concurrency, duration));
        grpc.Add(await Measure.UnaryAsync(() => clients.GrpcGetAsync(request), concurrency, duration));
    }

    var p = UnaryResult.Median(plain);
    var g = UnaryResult.Median(grpc);
    var cost = (p.CallsPerSecond / g.CallsPerSecond) - 1;
    var pCpu = plain.Select(r => r.CpuUsPerCall).Order().ElementAt(runs / 2);
    var gCpu = grpc.Select(r => r.CpuUsPerCall).Order().ElementAt(runs / 2);
    var line = string.Create(culture, $"| unary | {concurrency} | {p.CallsPerSecond:F0} | {g.CallsPerSecond:F0} | {cost:P1} | {pCpu:F1} | {gCpu:F1} | {(gCpu / pCpu) - 1:P1} | {p.P50Us:F0} / {p.P99Us:F0} | {g.P50Us:F0} / {g.P99Us:F0} |");
    Console.WriteLine(line);
    report.AppendLine(line);
}

report.AppendLine();
report.AppendLine(allocLine);
report.AppendLine();
report.AppendLine("| stream | messages per call | floor messages/s | gRPC messages/s | cost (rate) | floor CPU µs/msg | gRPC CPU µs/msg | cost (CPU) |");
report.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
const int PerCall = 10_000;
await Measure.StreamAsync(() => clients.PlainWatchAsync(PerCall), TimeSpan.FromSeconds(1));
await Measure.StreamAsync(() => clients.GrpcWatchAsync(PerCall), TimeSpan.FromSeconds(1));
var plainStream = new List<(double PerSecond, double CpuUsPerMessage)>();
var grpcStream = new List<(double PerSecond, double CpuUsPerMessage)>();
for (var run = 0; run < runs; run++)
{
    plainStream.Add(await Measure.StreamAsync(() => clients.PlainWatchAsync(PerCall), duration));
    grpcStream.Add(await Measure.StreamAsync(() => clients.GrpcWatchAsync(PerCall), duration));
}

var ps = plainStream.Select(r => r.PerSecond).Order().ElementAt(runs / 2);
var gs = grpcStream.Select(r => r.PerSecond).Order().ElementAt(runs / 2);
var psCpu = plainStream.Select(r => r.CpuUsPerMessage).Order().ElementAt(runs / 2);
var gsCpu = grpcStream.Select(r => r.CpuUsPerMessage).Order().ElementAt(runs / 2);
var streamLine = string.Create(culture, $"| server streaming | {PerCall} | {ps:F0} | {gs:F0} | {(ps / gs) - 1:P1} | {psCpu:F2} | {gsCpu:F2} | {(gsCpu / psCpu) - 1:P1} |");
Console.WriteLine(streamLine);
report.AppendLine(streamLine);

if (output is not null)
{
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
    var header = new StringBuilder()
        .AppendLine("# gRPC layer benchmark")
        .AppendLine()
        .AppendLine(string.Create(culture, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"))
        .AppendLine(string.Create(culture, $"- Machine: {Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; shared with other builds, client and server in one process; load average (1/5/15 min) at the end of the run: {load}"))
        .AppendLine(string.Create(culture, $"- Command: `dotnet run -c Release --project bench/AviOrleans.Bench.Grpc -- --seconds {seconds} --runs {runs} --out {output}`"))
        .AppendLine(string.Create(culture, $"- Method: h2c on 127.0.0.1, {runs} alternating runs of {seconds} s per point after a 1 s warm-up; medians of runs; latency from the median run. gRPC is Grpc.AspNetCore 2.85 (service on the Grpc.Tools base class) called by Grpc.Net.Client 2.85 (generated client). The floor is the same handler and messages as bare HTTP/2 POSTs through Kestrel and HttpClient (no framing, trailers, deadlines, status or auth). cost (rate) = floor rate / gRPC rate - 1; cost (CPU) = gRPC CPU time per call / floor CPU time per call - 1, from the process's CPU time, less disturbed by other load on the machine (target <= 25 %)."))
        .AppendLine();
    await File.WriteAllTextAsync(output, header.ToString() + report);
}
