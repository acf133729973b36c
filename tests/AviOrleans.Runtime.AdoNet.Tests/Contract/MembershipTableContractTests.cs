using System.Net;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using static AviOrleans.Runtime.AdoNet.Tests.Support.Entries;

namespace AviOrleans.Runtime.AdoNet.Tests.Contract;

/// <summary>
/// The contract every <see cref="IMembershipTable"/> must keep, written once and run against each store by a
/// subclass. Each test uses a cluster id of its own.
/// </summary>
public abstract class MembershipTableContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly List<object> _owned = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new client of <paramref name="clusterId"/>'s table (as another silo would hold one).</summary>
    protected abstract Task<IMembershipTable> CreateTableAsync(string clusterId);

    /// <summary>A client of <paramref name="clusterId"/>'s table, and a way to take its store down and back up.</summary>
    protected abstract Task<(IMembershipTable Table, IStoreOutage Outage)> CreateTableWithOutageAsync(string clusterId);

    /// <summary>How many independent clients (connections) the concurrency tests use.</summary>
    protected virtual int ConcurrentClients => 12;

    /// <summary>Remembers something to dispose after the test.</summary>
    protected T Own<T>(T item)
        where T : notnull
    {
        _owned.Add(item);
        return item;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_owned))
        {
            if (item is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (item is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    protected static string NewClusterId() => "c-" + Guid.NewGuid().ToString("N");

    private async Task<IMembershipTable> InitializedAsync(string clusterId)
    {
        var table = await CreateTableAsync(clusterId);
        await table.InitializeAsync(true, Ct);
        return table;
    }

    [Fact]
    public async Task Initialize_Twice_LeavesOneEmptyTableAtVersionZero()
    {
        var table = await CreateTableAsync(NewClusterId());

        await table.InitializeAsync(true, Ct);
        await table.InitializeAsync(true, Ct);
        await table.InitializeAsync(false, Ct);
        var data = await table.ReadAllAsync(Ct);

        Assert.Empty(data.Entries);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_BeforeVersionRowExists_ReturnsFalse()
    {
        var table = await CreateTableAsync(NewClusterId());
        await table.InitializeAsync(false, Ct);
        var data = await table.ReadAllAsync(Ct);

        var inserted = await table.InsertRowAsync(Entry(Silo(1)), data.Version.Next(), Ct);

        Assert.False(inserted);
        Assert.Empty((await table.ReadAllAsync(Ct)).Entries);
    }

    [Fact]
    public async Task InsertRow_WithReadVersion_WritesRowExactlyAndAdvancesVersion()
    {
        var table = await InitializedAsync(NewClusterId());
        var entry = Entry(Silo(1)) with
        {
            SuspectTimes = [new SuspectVote(Silo(2), T0.AddTicks(7)), new SuspectVote(Silo(3, 7), T0.AddMinutes(1))],
        };
        var before = await table.ReadAllAsync(Ct);

        var inserted = await table.InsertRowAsync(entry, before.Version.Next(), Ct);
        var all = await table.ReadAllAsync(Ct);
        var one = await table.ReadRowAsync(entry.Silo, Ct);
        var none = await table.ReadRowAsync(Silo(9), Ct);

        Assert.True(inserted);
        Assert.Equal(before.Version.Version + 1, all.Version.Version);
        Same(entry, RowOf(all, entry.Silo));
        Same(entry, RowOf(one, entry.Silo));
        Assert.Equal(all.Version, one.Version);
        Assert.Empty(none.Entries);
        Assert.Equal(all.Version, none.Version);
    }

    [Fact]
    public async Task InsertRow_Ipv6Silo_RoundTrips()
    {
        var table = await InitializedAsync(NewClusterId());
        var silo = new SiloAddress(new IPEndPoint(IPAddress.Parse("2001:db8::17"), 11_111), 42);
        var entry = Entry(silo) with { SuspectTimes = [new SuspectVote(silo, T0)] };

        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        Same(entry, RowOf(await table.ReadRowAsync(silo, Ct), silo));
    }

    [Fact]
    public async Task InsertRow_CallerChangesItsVoteListAfterwards_TableKeepsWhatWasWritten()
    {
        var table = await InitializedAsync(NewClusterId());
        var votes = new List<SuspectVote> { new(Silo(2), T0) };
        var entry = Entry(Silo(1)) with { SuspectTimes = votes };
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        votes.Add(new SuspectVote(Silo(3), T0));
        var read = await table.ReadAllAsync(Ct);

        Assert.Single(RowOf(read, Silo(1)).SuspectTimes);
    }

    [Fact]
    public async Task InsertRow_RowExists_ReturnsFalseAndChangesNothing()
    {
        var table = await InitializedAsync(NewClusterId());
        var entry = Entry(Silo(1));
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var current = await table.ReadAllAsync(Ct);

        var again = await table.InsertRowAsync(entry with { SiloName = "other" }, current.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.False(again);
        Assert.Equal(current.Version, after.Version);
        Same(entry, RowOf(after, entry.Silo));
    }

    [Fact]
    public async Task InsertRow_StaleVersion_ReturnsFalseAndChangesNothing()
    {
        var table = await InitializedAsync(NewClusterId());
        var stale = await table.ReadAllAsync(Ct);
        Assert.True(await table.InsertRowAsync(Entry(Silo(1)), stale.Version.Next(), Ct));

        var inserted = await table.InsertRowAsync(Entry(Silo(2)), stale.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.False(inserted);
        Assert.Equal(1, after.Version.Version);
        Assert.Single(after.Entries);
    }

    [Fact]
    public async Task UpdateRow_WithReadVersion_ReplacesRowAndAdvancesVersion()
    {
        var table = await InitializedAsync(NewClusterId());
        var entry = Entry(Silo(1));
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var read = await table.ReadRowAsync(entry.Silo, Ct);
        var row = Assert.Single(read.Entries);
        var changed = row.Entry with
        {
            Status = SiloStatus.Active,
            IAmAliveTime = T0.AddSeconds(30),
            SuspectTimes = [new SuspectVote(Silo(2), T0.AddSeconds(29))],
        };

        var updated = await table.UpdateRowAsync(changed, row.ETag, read.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.True(updated);
        Assert.Equal(read.Version.Version + 1, after.Version.Version);
        Same(changed, RowOf(after, entry.Silo));
    }

    [Fact]
    public async Task UpdateRow_StaleVersion_ReturnsFalseAndKeepsRow()
    {
        var table = await InitializedAsync(NewClusterId());
        var entry = Entry(Silo(1));
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var read = await table.ReadAllAsync(Ct);
        var row = RowOf(read, entry.Silo);
        Assert.True(await table.UpdateRowAsync(row with { Status = SiloStatus.Active }, string.Empty, read.Version.Next(), Ct));

        var stale = await table.UpdateRowAsync(row with { Status = SiloStatus.Dead }, string.Empty, read.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.False(stale);
        Assert.Equal(SiloStatus.Active, RowOf(after, entry.Silo).Status);
        Assert.Equal(read.Version.Version + 1, after.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_MissingRow_ReturnsFalseAndKeepsVersion()
    {
        var table = await InitializedAsync(NewClusterId());
        var read = await table.ReadAllAsync(Ct);

        var updated = await table.UpdateRowAsync(Entry(Silo(5)), string.Empty, read.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.False(updated);
        Assert.Equal(read.Version, after.Version);
        Assert.Empty(after.Entries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-version")]
    [InlineData("-1")]
    [InlineData("99")]
    public async Task InsertRow_VersionTagNotTheStoredOne_ReturnsFalse(string tag)
    {
        var table = await InitializedAsync(NewClusterId());

        var inserted = await table.InsertRowAsync(Entry(Silo(1)), new TableVersion(1, tag), Ct);

        Assert.False(inserted);
        Assert.Equal(0, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [Fact]
    public async Task TwoSilos_WriteWithSameReadVersion_OnlyFirstWins()
    {
        var clusterId = NewClusterId();
        var first = await InitializedAsync(clusterId);
        var second = await CreateTableAsync(clusterId);
        Assert.True(await first.InsertRowAsync(Entry(Silo(1)), (await first.ReadAllAsync(Ct)).Version.Next(), Ct));
        var readByFirst = await first.ReadAllAsync(Ct);
        var readBySecond = await second.ReadAllAsync(Ct);
        var target = RowOf(readByFirst, Silo(1));

        var firstWrote = await first.UpdateRowAsync(target with { SuspectTimes = [new SuspectVote(Silo(2), T0)] }, string.Empty, readByFirst.Version.Next(), Ct);
        var secondWrote = await second.UpdateRowAsync(target with { Status = SiloStatus.Dead }, string.Empty, readBySecond.Version.Next(), Ct);
        var after = await second.ReadAllAsync(Ct);

        Assert.True(firstWrote);
        Assert.False(secondWrote);
        Assert.Equal(SiloStatus.Joining, RowOf(after, Silo(1)).Status);
        Assert.Single(RowOf(after, Silo(1)).SuspectTimes);
    }

    [Fact]
    public async Task ConcurrentWriters_SameReadVersion_ExactlyOneWinsEachRound()
    {
        var clusterId = NewClusterId();
        var clients = new List<IMembershipTable>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            clients.Add(await CreateTableAsync(clusterId));
        }

        await clients[0].InitializeAsync(true, Ct);
        Assert.True(await clients[0].InsertRowAsync(Entry(Silo(1)), (await clients[0].ReadAllAsync(Ct)).Version.Next(), Ct));

        for (var round = 0; round < 5; round++)
        {
            var read = await clients[0].ReadAllAsync(Ct);
            var row = RowOf(read, Silo(1));
            using var start = new SemaphoreSlim(0);
            var writes = clients.Select((client, i) => Task.Run(async () =>
            {
                await start.WaitAsync(Ct);
                var vote = new SuspectVote(Silo(100 + i), T0.AddSeconds(round));
                return await client.UpdateRowAsync(row with { SuspectTimes = [.. row.SuspectTimes, vote] }, string.Empty, read.Version.Next(), Ct);
            }, Ct)).ToList();
            start.Release(clients.Count);
            var results = await Task.WhenAll(writes).WaitAsync(Bound, Ct);
            var after = await clients[0].ReadAllAsync(Ct);

            Assert.Equal(1, results.Count(r => r));
            var winner = Array.IndexOf(results, true);
            Assert.Equal(read.Version.Version + 1, after.Version.Version);
            Assert.Equal(Silo(100 + winner), RowOf(after, Silo(1)).SuspectTimes[^1].Suspecter);
            Assert.Equal(round + 1, RowOf(after, Silo(1)).SuspectTimes.Count);
        }
    }

    [Fact]
    public async Task ConcurrentJoins_EachRetryingOnConflict_AllRowsWrittenAndVersionCountsThem()
    {
        var clusterId = NewClusterId();
        var clients = new List<IMembershipTable>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            clients.Add(await CreateTableAsync(clusterId));
        }

        await clients[0].InitializeAsync(true, Ct);

        var joins = clients.Select((client, i) => Task.Run(async () =>
        {
            var attempts = 0;
            while (true)
            {
                attempts++;
                Assert.True(attempts < 10_000, "a join kept losing");
                var read = await client.ReadAllAsync(Ct);
                if (await client.InsertRowAsync(Entry(Silo(i + 1)), read.Version.Next(), Ct))
                {
                    return attempts;
                }
            }
        }, Ct)).ToList();
        await Task.WhenAll(joins).WaitAsync(Bound, Ct);
        var after = await clients[0].ReadAllAsync(Ct);

        Assert.Equal(clients.Count, after.Entries.Count);
        Assert.Equal(clients.Count, after.Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesOnlyThatColumnAndNotVersion()
    {
        var table = await InitializedAsync(NewClusterId());
        var entry = Entry(Silo(1)) with { SuspectTimes = [new SuspectVote(Silo(2), T0)] };
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadAllAsync(Ct);

        await table.UpdateIAmAliveAsync(entry with { IAmAliveTime = T0.AddMinutes(5), Status = SiloStatus.Dead, SiloName = "ignored" }, Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.Equal(before.Version, after.Version);
        Same(entry with { IAmAliveTime = T0.AddMinutes(5) }, RowOf(after, entry.Silo));
        Assert.True(await table.UpdateRowAsync(RowOf(after, entry.Silo), string.Empty, before.Version.Next(), Ct));
    }

    [Fact]
    public async Task UpdateIAmAlive_MissingRow_WritesNothing()
    {
        var table = await InitializedAsync(NewClusterId());

        await table.UpdateIAmAliveAsync(Entry(Silo(1)), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.Empty(after.Entries);
        Assert.Equal(0, after.Version.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_DeletesOnlyOldRowsThatAreNotActive()
    {
        var table = await InitializedAsync(NewClusterId());
        var cutoff = T0.AddHours(1);
        var rows = new[]
        {
            Entry(Silo(1), SiloStatus.Active, cutoff.AddTicks(-1)),
            Entry(Silo(2), SiloStatus.Dead, cutoff.AddTicks(-1)),
            Entry(Silo(3), SiloStatus.Dead, cutoff),
            Entry(Silo(4), SiloStatus.ShuttingDown, cutoff.AddDays(-1)),
            Entry(Silo(5), SiloStatus.Joining, cutoff.AddHours(1)),
        };
        foreach (var row in rows)
        {
            Assert.True(await table.InsertRowAsync(row, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        }

        var before = await table.ReadAllAsync(Ct);

        await table.CleanupDefunctSiloEntriesAsync(cutoff, Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.Equal([Silo(1), Silo(3), Silo(5)], after.Entries.Select(r => r.Entry.Silo).OrderBy(s => s.Endpoint.Port));
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesThisClusterOnly()
    {
        var clusterId = NewClusterId();
        var table = await InitializedAsync(clusterId);
        var other = await InitializedAsync(NewClusterId());
        Assert.True(await table.InsertRowAsync(Entry(Silo(1)), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        Assert.True(await other.InsertRowAsync(Entry(Silo(1)), (await other.ReadAllAsync(Ct)).Version.Next(), Ct));

        await table.DeleteMembershipTableEntriesAsync(Ct);
        var deleted = await table.ReadAllAsync(Ct);
        var kept = await other.ReadAllAsync(Ct);

        Assert.Empty(deleted.Entries);
        Assert.Equal(0, deleted.Version.Version);
        Assert.False(await table.InsertRowAsync(Entry(Silo(2)), deleted.Version.Next(), Ct));
        Assert.Single(kept.Entries);
        Assert.Equal(1, kept.Version.Version);

        await table.InitializeAsync(true, Ct);
        Assert.True(await table.InsertRowAsync(Entry(Silo(2)), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
    }

    [Fact]
    public async Task InsertRow_NullEntry_ThrowsAndChangesNothing()
    {
        var table = await InitializedAsync(NewClusterId());

        await Assert.ThrowsAnyAsync<ArgumentException>(() => table.InsertRowAsync(null!, new TableVersion(1, "0"), Ct));

        Assert.Equal(0, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [Fact]
    public async Task StoreDown_EveryCallThrowsStoreUnavailable_AndTableIsIntactAfterwards()
    {
        var clusterId = NewClusterId();
        var (table, outage) = await CreateTableWithOutageAsync(clusterId);
        Own(outage);
        await table.InitializeAsync(true, Ct);
        var entry = Entry(Silo(1));
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadAllAsync(Ct);

        await outage.StartAsync();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.ReadAllAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.ReadRowAsync(entry.Silo, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.InsertRowAsync(Entry(Silo(2)), before.Version.Next(), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, string.Empty, before.Version.Next(), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.UpdateIAmAliveAsync(entry with { IAmAliveTime = T0.AddDays(1) }, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.CleanupDefunctSiloEntriesAsync(T0.AddDays(9), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.DeleteMembershipTableEntriesAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.InitializeAsync(true, Ct));
        await outage.EndAsync();

        var after = await Retry.UnavailableAsync(() => table.ReadAllAsync(Ct));
        Assert.Equal(before.Version, after.Version);
        Same(entry, RowOf(after, entry.Silo));
        Assert.True(await Retry.UnavailableAsync(() => table.UpdateRowAsync(entry with { Status = SiloStatus.Active }, string.Empty, after.Version.Next(), Ct)));
        var observer = await CreateTableAsync(clusterId);
        Assert.Equal(SiloStatus.Active, RowOf(await observer.ReadAllAsync(Ct), entry.Silo).Status);
    }
}
