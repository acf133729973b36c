using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using AviOrleans.Runtime.AdoNet;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Bench.Stores;

/// <summary>
/// The home-made runtime's stores (src/AviOrleans.Runtime.AdoNet), measured as before so that the figures of
/// their Orleans replacements have a baseline from the same run. Goes when the home-made runtime goes.
/// </summary>
internal static class HomeMadeStores
{
    private const string Stack = "home-made";

    public static async Task RunAsync(Harness harness, DirectoryInfo folder, string? postgres)
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
        if (postgres is not null)
        {
            var options = new PostgreSqlStoreOptions { ConnectionString = postgres, ClusterId = id, ServiceId = id };
            stores.Add(("PostgreSQL (loopback)", new PostgreSqlMembershipTable(options), new PostgreSqlGrainStateStore(options), new PostgreSqlLeaseStore(options)));
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

            await harness.MeasureAsync(Stack, name, "membership conditional write (UpdateRow)", async () =>
            {
                var read = await table.ReadAllAsync(CancellationToken.None);
                return async () =>
                {
                    if (!await table.UpdateRowAsync(entry, string.Empty, read.Version.Next(), CancellationToken.None))
                    {
                        throw new InvalidOperationException("A conditional write lost with no competitor.");
                    }
                };
            });
            await harness.MeasureAsync(Stack, name, "membership ReadAll", () => table.ReadAllAsync(CancellationToken.None));
            // A new time on every write, as a silo writes it: an unchanged value could let the store skip work.
            var alive = entry.IAmAliveTime;
            await harness.MeasureAsync(Stack, name, "membership I-am-alive", () =>
                table.UpdateIAmAliveAsync(entry with { IAmAliveTime = alive = alive.AddMilliseconds(1) }, CancellationToken.None));
            await harness.MeasureAsync(Stack, name, "state write (256 B, with ETag)", async () =>
                etag = await state.WriteAsync("BenchGrain", "k", payload, etag, CancellationToken.None));
            await harness.MeasureAsync(Stack, name, "state read (256 B)", () => state.ReadAsync("BenchGrain", "k", CancellationToken.None));

            var lease = await leases.TryAcquireAsync("bench-silo", "bench-owner", TimeSpan.FromMinutes(5), CancellationToken.None)
                ?? throw new InvalidOperationException("The bench lease could not be acquired.");
            // The duration changes by a tick on every call so the expiry always changes: SQLite skips rewriting an
            // unchanged row (no flush), which a renewal a second apart never benefits from.
            var renewal = TimeSpan.FromMinutes(5);
            await harness.MeasureAsync(Stack, name, "lease renew", async () =>
            {
                renewal += TimeSpan.FromTicks(1);
                if (await leases.RenewAsync("bench-silo", "bench-owner", lease.Epoch, renewal, CancellationToken.None) is null)
                {
                    throw new InvalidOperationException("The bench lease was lost.");
                }
            });

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
}
