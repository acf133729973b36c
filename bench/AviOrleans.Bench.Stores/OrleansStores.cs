using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Bench.Stores;

/// <summary>
/// The stores of src/AviOrleans.Persistence: Orleans' own ADO.NET membership table and grain storage (through the
/// registrations a silo uses) on our SQLite and PostgreSQL schemas, Orleans' in-memory grain storage as the
/// baseline for state, and the fencing lease stores.
/// </summary>
internal static class OrleansStores
{
    private const string Stack = "Orleans 10.4.2 + Persistence";

    public static async Task RunAsync(Harness harness, DirectoryInfo folder, string? postgres)
    {
        var id = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var full = new SqliteStoreOptions { DataDirectory = folder.FullName, FileName = "orleans-full.db" };
        var normal = new SqliteStoreOptions { DataDirectory = folder.FullName, FileName = "orleans-normal.db", FlushEveryCommit = false };
        var pg = postgres is null ? null : new PostgreSqlStoreOptions { ConnectionString = postgres, Schema = "bench_" + Guid.NewGuid().ToString("N")[..12] };
        var stores = new List<(string Name, Action<ISiloBuilder> Clustering, Action<ISiloBuilder> Storage, Func<ILeaseStore> Leases)>
        {
            ("SQLite (WAL, synchronous FULL: default)", s => s.UseSqliteClustering(o => Copy(full, o)), s => s.AddSqliteGrainStorage("store", o => Copy(full, o)), () => new SqliteLeaseStore(full, id)),
            ("SQLite (WAL, synchronous NORMAL)", s => s.UseSqliteClustering(o => Copy(normal, o)), s => s.AddSqliteGrainStorage("store", o => Copy(normal, o)), () => new SqliteLeaseStore(normal, id)),
        };
        if (pg is not null)
        {
            stores.Add(("PostgreSQL (loopback)", s => s.UsePostgreSqlClustering(o => Copy(pg, o)), s => s.AddPostgreSqlGrainStorage("store", o => Copy(pg, o)), () => new PostgreSqlLeaseStore(pg, id)));
        }

        await StateAsync(harness, id, "in-memory (Orleans MemoryGrainStorage, baseline)", s => s.AddMemoryGrainStorage("store"));
        await LeasesAsync(harness, "in-memory (baseline)", new InMemoryLeaseStore());
        try
        {
            foreach (var (name, clustering, storage, leases) in stores)
            {
                await MembershipAsync(harness, id, name, clustering);
                await StateAsync(harness, id, name, storage);
                var store = leases();
                await LeasesAsync(harness, name, store);
                await ((IAsyncDisposable)store).DisposeAsync();
            }
        }
        finally
        {
            if (pg is not null)
            {
                await using var connection = new Npgsql.NpgsqlConnection(postgres);
                await connection.OpenAsync();
                await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {pg.Schema} CASCADE;", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task MembershipAsync(Harness harness, string id, string name, Action<ISiloBuilder> clustering)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (id, id));
            clustering(silo);
        });
        await using var provider = services.BuildServiceProvider();
        var table = provider.GetRequiredService<IMembershipTable>();
        await table.InitializeMembershipTableAsync(true);
        var now = DateTime.UtcNow;
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 11111, 1),
            SiloName = "bench",
            HostName = "bench-host",
            Status = SiloStatus.Active,
            ProxyPort = 30000,
            StartTime = now,
            IAmAliveTime = now,
            SuspectTimes = [],
        };
        if (!await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()))
        {
            throw new InvalidOperationException("The bench row could not be inserted.");
        }

        await harness.MeasureAsync(Stack, name, "membership conditional write (UpdateRow)", async () =>
        {
            var read = await table.ReadAllAsync();
            var etag = read.TryGet(entry.SiloAddress)!.Item2;
            return async () =>
            {
                entry.IAmAliveTime = entry.IAmAliveTime.AddMilliseconds(1);
                if (!await table.UpdateRowAsync(entry, etag, read.Version.Next()))
                {
                    throw new InvalidOperationException("A conditional write lost with no competitor.");
                }
            };
        });
        await harness.MeasureAsync(Stack, name, "membership ReadAll", () => table.ReadAllAsync());

        // A new time on every write, as a silo writes it: an unchanged value could let the store skip work.
        var alive = new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = now };
        await harness.MeasureAsync(Stack, name, "membership I-am-alive", () =>
        {
            alive.IAmAliveTime = alive.IAmAliveTime.AddMilliseconds(1);
            return table.UpdateIAmAliveAsync(alive);
        });
    }

    private static async Task StateAsync(Harness harness, string id, string name, Action<ISiloBuilder> storage)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: id, clusterId: id);
            storage(silo);
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredKeyedService<IGrainStorage>("store");
            var grain = GrainId.Create("bench", "state");
            var state = new GrainState<byte[]> { State = new byte[256] };
            await store.WriteStateAsync("state", grain, state);
            await harness.MeasureAsync(Stack, name, "state write (256 B, with ETag)", async () =>
            {
                state.State[0]++;
                await store.WriteStateAsync("state", grain, state);
            });
            var read = new GrainState<byte[]>();
            await harness.MeasureAsync(Stack, name, "state read (256 B)", () => store.ReadStateAsync("state", grain, read));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task LeasesAsync(Harness harness, string name, ILeaseStore leases)
    {
        var lease = await leases.TryAcquireAsync("se-bench", "bench-host", TimeSpan.FromMinutes(5), CancellationToken.None)
            ?? throw new InvalidOperationException("The bench lease could not be acquired.");

        // The duration changes by a tick on every call so the expiry always changes (SQLite skips rewriting an
        // unchanged row, which a renewal 50 ms later never benefits from).
        var ttl = TimeSpan.FromMinutes(5);
        await harness.MeasureAsync(Stack, name, "lease renew", async () =>
        {
            ttl += TimeSpan.FromTicks(1);
            if (await leases.RenewAsync("se-bench", "bench-host", lease.Epoch, ttl, CancellationToken.None) is null)
            {
                throw new InvalidOperationException("The bench lease was lost.");
            }
        });
        await harness.MeasureAsync(Stack, name, "lease read (decider)", () => leases.ReadAsync("se-bench", CancellationToken.None));
    }

    private static void Copy(SqliteStoreOptions from, SqliteStoreOptions to) =>
        (to.DataDirectory, to.FileName, to.FlushEveryCommit) = (from.DataDirectory, from.FileName, from.FlushEveryCommit);

    private static void Copy(PostgreSqlStoreOptions from, PostgreSqlStoreOptions to) =>
        (to.ConnectionString, to.Schema) = (from.ConnectionString, from.Schema);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
