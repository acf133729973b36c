using System.Diagnostics;
using System.Globalization;
using System.Net;
using AviOrleans.Runtime.AdoNet;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;

// Store latency benchmark: membership conditional writes (UpdateRow against the version just read), grain
// state writes (with the current ETag) and reads, and lease renewals, per store. A plain Stopwatch harness: warm-up, several runs,
// the median over runs of each run's p50 and p99. The in-memory stores are the baseline measured in the same run.
// Usage: dotnet run -c Release --project bench/AviOrleans.Bench.Stores [iterations per run] [runs]
// PostgreSQL is measured when AVIORLEANS_TEST_POSTGRES holds an Npgsql connection string.
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var warmup = Math.Max(100, iterations / 5);
var folder = Directory.CreateTempSubdirectory("aviorleans-bench-");
var results = new List<(string Store, string Operation, double P50, double P99)>();

try
{
    var id = "bench-" + Guid.NewGuid().ToString("N")[..8];
    var stores = new List<(string Name, IMembershipTable Table, IGrainStateStore State, ILeaseStore Leases)>
    {
        ("in-memory (baseline)", new InMemoryMembershipTable(), new InMemoryGrainStateStore(), new InMemoryLeaseStore()),
    };
    var sqlite = new SqliteStoreOptions { DataDirectory = folder.FullName, ClusterId = id, ServiceId = id };
    stores.Add(("SQLite (WAL, synchronous FULL: default)", new SqliteMembershipTable(sqlite), new SqliteGrainStateStore(sqlite), new SqliteLeaseStore(sqlite)));
    var sqliteFast = new SqliteStoreOptions { DataDirectory = folder.FullName, FileName = "fast.db", ClusterId = id, ServiceId = id, FlushEveryCommit = false };
    stores.Add(("SQLite (WAL, synchronous NORMAL)", new SqliteMembershipTable(sqliteFast), new SqliteGrainStateStore(sqliteFast), new SqliteLeaseStore(sqliteFast)));
    if (Environment.GetEnvironmentVariable("AVIORLEANS_TEST_POSTGRES") is { Length: > 0 } postgres)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = postgres, ClusterId = id, ServiceId = id };
        stores.Add(("PostgreSQL (loopback)", new PostgreSqlMembershipTable(options), new PostgreSqlGrainStateStore(options), new PostgreSqlLeaseStore(options)));
    }
    else
    {
        Console.Error.WriteLine("AVIORLEANS_TEST_POSTGRES is not set: PostgreSQL is not measured.");
    }

    foreach (var (name, table, state, leases) in stores)
    {
        await table.InitializeAsync(true, CancellationToken.None);
        var silo = new SiloAddress(new IPEndPoint(IPAddress.Loopback, 11111), 1);
        var entry = new MembershipEntry
        {
            Silo = silo,
            SiloName = "bench",
            HostName = "bench-host",
            Status = SiloStatus.Active,
            StartTime = DateTimeOffset.UtcNow,
            IAmAliveTime = DateTimeOffset.UtcNow,
        };
        if (!await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None))
        {
            throw new InvalidOperationException("The bench row could not be inserted.");
        }

        var etag = await state.WriteAsync("BenchGrain", "k", new byte[256], null, CancellationToken.None);
        var payload = new byte[256];

        results.Add(Measure(name, "membership conditional write (UpdateRow)", async () =>
        {
            var read = await table.ReadAllAsync(CancellationToken.None);
            return async () =>
            {
                if (!await table.UpdateRowAsync(entry, string.Empty, read.Version.Next(), CancellationToken.None))
                {
                    throw new InvalidOperationException("A conditional write lost with no competitor.");
                }
            };
        }));
        results.Add(Measure(name, "membership ReadAll", () => Task.FromResult<Func<Task>>(() => table.ReadAllAsync(CancellationToken.None))));
        // A new time on every write, as a silo writes it: an unchanged value could let the store skip work.
        var alive = entry.IAmAliveTime;
        results.Add(Measure(name, "membership I-am-alive", () => Task.FromResult<Func<Task>>(() =>
            table.UpdateIAmAliveAsync(entry with { IAmAliveTime = alive = alive.AddMilliseconds(1) }, CancellationToken.None))));
        results.Add(Measure(name, "state write (256 B, with ETag)", () => Task.FromResult<Func<Task>>(async () =>
            etag = await state.WriteAsync("BenchGrain", "k", payload, etag, CancellationToken.None))));
        results.Add(Measure(name, "state read (256 B)", () => Task.FromResult<Func<Task>>(() => state.ReadAsync("BenchGrain", "k", CancellationToken.None))));

        var lease = await leases.TryAcquireAsync("bench-silo", "bench-owner", TimeSpan.FromMinutes(5), CancellationToken.None)
            ?? throw new InvalidOperationException("The bench lease could not be acquired.");
        // The duration changes by a tick on every call so the expiry always changes: SQLite skips rewriting an
        // unchanged row (no flush), which a renewal a second apart never benefits from.
        var renewal = TimeSpan.FromMinutes(5);
        results.Add(Measure(name, "lease renew", () => Task.FromResult<Func<Task>>(async () =>
        {
            renewal += TimeSpan.FromTicks(1);
            if (await leases.RenewAsync("bench-silo", "bench-owner", lease.Epoch, renewal, CancellationToken.None) is null)
            {
                throw new InvalidOperationException("The bench lease was lost.");
            }
        })));

        if (leases is IAsyncDisposable l)
        {
            await l.DisposeAsync();
        }

        if (table is IAsyncDisposable t)
        {
            await t.DisposeAsync();
        }

        if (state is IAsyncDisposable s)
        {
            await s.DisposeAsync();
        }
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

Console.WriteLine($"{iterations} iterations x {runs} runs (after {warmup} warm-up), median over runs, microseconds");
Console.WriteLine();
Console.WriteLine("| store | operation | p50 (µs) | p99 (µs) |");
Console.WriteLine("| --- | --- | ---: | ---: |");
foreach (var (store, operation, p50, p99) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {store} | {operation} | {p50:F1} | {p99:F1} |"));
}

// prepare runs untimed before each timed call (e.g. the read a conditional write depends on).
(string, string, double, double) Measure(string store, string operation, Func<Task<Func<Task>>> prepare)
{
    var p50s = new List<double>();
    var p99s = new List<double>();
    for (var run = -1; run < runs; run++)
    {
        var count = run < 0 ? warmup : iterations;
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var call = prepare().GetAwaiter().GetResult();
            var started = Stopwatch.GetTimestamp();
            call().GetAwaiter().GetResult();
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
    Console.Error.WriteLine($"{store}: {operation} done");
    return (store, operation, p50s[p50s.Count / 2], p99s[p99s.Count / 2]);
}
