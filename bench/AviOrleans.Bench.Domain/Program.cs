using System.Diagnostics;
using System.Globalization;
using AviOrleans.Bench.Domain;
using AviOrleans.Domain;

// Stopwatch harness: per case, warm-up runs, then timed runs of PlacementEngine.Compute on the same input (the
// engine is a pure function, so every run does the same work). Prints a Markdown table for bench/results/domain.md.
var quick = args.Contains("--quick");
var warmups = quick ? 2 : 5;
var runs = quick ? 5 : 31;
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, warm-up {warmups}, runs {runs}"));
Console.WriteLine();
// Global warm-up: every case a few times, then a pause, so that tiered JIT has promoted the hot methods before the
// first case is measured (otherwise the first row pays for tier-0 code).
var cases = Cases.All().ToList();
for (var round = 0; round < (quick ? 2 : 8); round++)
{
    foreach (var c in cases)
    {
        PlacementEngine.Compute(c.Input);
    }
}

Thread.Sleep(1000);
Console.WriteLine("| case | median ms | p99 ms | min ms | allocated MB/run | note |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
foreach (var c in cases)
{
    PlacementResult? last = null;
    for (var i = 0; i < warmups; i++)
    {
        last = PlacementEngine.Compute(c.Input);
    }

    var times = new double[runs];
    long allocated = 0;
    for (var i = 0; i < runs; i++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        last = PlacementEngine.Compute(c.Input);
        sw.Stop();
        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        times[i] = sw.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    var median = times[runs / 2];
    var p99 = times[Math.Min(runs - 1, (int)Math.Ceiling(runs * 0.99) - 1)];
    var placed = last!.Placement.VirtualServices.Count(v => v.OperState == OperState.Up);
    Console.WriteLine(string.Create(inv, $"| {c.Name} | {median:F2} | {p99:F2} | {times[0]:F2} | {allocated / (double)runs / (1 << 20):F1} | {c.Note}; {placed} placed after, {last.Events.Count} events |"));
}
