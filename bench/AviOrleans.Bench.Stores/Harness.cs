using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace AviOrleans.Bench.Stores;

/// <summary>
/// A plain Stopwatch harness: warm-up, several runs, and per operation the median over runs of each run's p50 and
/// p99 in microseconds. One caller, calls one after another.
/// </summary>
internal sealed class Harness(int iterations, int runs)
{
    private readonly int _warmup = Math.Max(100, iterations / 5);

    public List<(string Stack, string Store, string Operation, double P50, double P99)> Results { get; } = [];

    public int Iterations => iterations;

    public int Runs => runs;

    public int Warmup => _warmup;

    /// <summary>Measures <paramref name="call"/>; <paramref name="prepare"/> runs untimed before each call (e.g. the read a conditional write depends on).</summary>
    public async Task MeasureAsync(string stack, string store, string operation, Func<Task<Func<Task>>> prepare)
    {
        var p50s = new List<double>();
        var p99s = new List<double>();
        for (var run = -1; run < runs; run++)
        {
            var count = run < 0 ? _warmup : iterations;
            var samples = new double[count];
            for (var i = 0; i < count; i++)
            {
                var call = await prepare();
                var started = Stopwatch.GetTimestamp();
                await call();
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }

            if (run >= 0)
            {
                Array.Sort(samples);
                p50s.Add(samples[(int)(count * 0.50)]);
                p99s.Add(samples[Math.Min(count - 1, (int)(count * 0.99))]);
            }
        }

        p50s.Sort();
        p99s.Sort();
        Console.Error.WriteLine($"{stack} / {store}: {operation} done");
        Results.Add((stack, store, operation, p50s[p50s.Count / 2], p99s[p99s.Count / 2]));
    }

    public Task MeasureAsync(string stack, string store, string operation, Func<Task> call) =>
        MeasureAsync(stack, store, operation, () => Task.FromResult(call));
}
