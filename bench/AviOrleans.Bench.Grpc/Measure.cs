using System.Diagnostics;

namespace AviOrleans.Bench.Grpc;

/// <summary>Closed-loop load: a fixed number of callers, each starting its next call when the last ends.</summary>
internal static class Measure
{
    public static async Task<UnaryResult> UnaryAsync(Func<Task> call, int concurrency, TimeSpan duration)
    {
        var latencies = new List<long>[concurrency];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var end = duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<long>(100_000);
            while (stopwatch.ElapsedTicks < end)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuUs = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Us(double q) => all[(int)Math.Min(all.Length - 1, Math.Floor(q * all.Length))] * 1e6 / Stopwatch.Frequency;
        return new UnaryResult(all.Length / elapsed, Us(0.50), Us(0.99), cpuUs / all.Length);
    }

    /// <summary>Messages per second over back-to-back streaming calls.</summary>
    public static async Task<(double PerSecond, double CpuUsPerMessage)> StreamAsync(Func<Task<int>> call, TimeSpan duration)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        long messages = 0;
        while (stopwatch.Elapsed < duration)
        {
            messages += await call();
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        return (messages / elapsed, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / messages);
    }
}
