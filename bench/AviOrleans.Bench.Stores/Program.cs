using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AviOrleans.Bench.Stores;

// Store latency benchmark: membership conditional writes (UpdateRow against the version just read), I-am-alive
// writes and reads of the table; grain state writes (with the current ETag) and reads; lease renewals and reads;
// per store. The stores of src/AviOrleans.Persistence (Orleans' ADO.NET providers on our schema, and the fencing
// leases), with Orleans' memory grain storage and the in-memory lease store as baselines, all in one run. (The
// home-made runtime's stores measured beside them until its deletion: bench/results/stores.md.)
// Usage: dotnet run -c Release --project bench/AviOrleans.Bench.Stores [iterations per run] [runs]
// PostgreSQL is measured when AVIORLEANS_TEST_POSTGRES holds an Npgsql connection string.
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var harness = new Harness(iterations, runs);
var postgres = Environment.GetEnvironmentVariable("AVIORLEANS_TEST_POSTGRES") is { Length: > 0 } value ? value : null;
if (postgres is null)
{
    Console.Error.WriteLine("AVIORLEANS_TEST_POSTGRES is not set: PostgreSQL is not measured.");
}

var folder = Directory.CreateTempSubdirectory("aviorleans-bench-");
try
{
    await OrleansStores.RunAsync(harness, folder, postgres);
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

Console.WriteLine($"{harness.Iterations} iterations x {harness.Runs} runs (after {harness.Warmup} warm-up), median over runs, microseconds");
Console.WriteLine();
Console.WriteLine("| operation | store | stack | p50 (µs) | p99 (µs) |");
Console.WriteLine("| --- | --- | --- | ---: | ---: |");
foreach (var (stack, store, operation, p50, p99) in harness.Results.OrderBy(r => r.Operation, StringComparer.Ordinal).ThenBy(r => r.Store, StringComparer.Ordinal).ThenBy(r => r.Stack, StringComparer.Ordinal))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {operation} | {store} | {stack} | {p50:F1} | {p99:F1} |"));
}
