using System.Diagnostics;

namespace AviOrleans.Bench.Grpc;

/// <summary>Closed-loop load: a fixed number of callers, each starting its next call when the last ends.</summary>
internal static class Measure
{
    public static async Task<UnaryResult> UnaryAsync(Func<Task> call, int concurrency, TimeSpan duration)
    {
        var latencies = new List<long>[concurrency];
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
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Us(double q) => all[(int)Math.Min(all.Length - 1, Math.Floor(q * all.Length))] * 1e6 / Stopwatch.Frequency;
        return new UnaryResult(all.Length / elapsed, Us(0.50), Us(0.99));
    }

    /// <summary>Messages per second over back-to-back streaming calls.</summary>
    public static async Task<double> StreamAsync(Func<Task<int>> call, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        long messages = 0;
        while (stopwatch.Elapsed < duration)
        {
            messages += await call();
        }

        return messages / stopwatch.Elapsed.TotalSeconds;
    }
}
