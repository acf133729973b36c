using AviOrleans.Persistence.Tests.Support;
using Orleans;
using Orleans.Messaging;
using Orleans.Runtime;
using static AviOrleans.Persistence.Tests.Support.Entries;

namespace AviOrleans.Persistence.Tests.Contract;

/// <summary>
/// What Orleans' membership protocol expects of its table, run against Orleans' own ADO.NET clustering provider on
/// each of our databases (through the registration a silo uses): the version row, inserts and updates conditional on
/// the table version (the ETag of every row), I-am-alive writes that leave the version alone, concurrent writers of
/// which exactly one wins, defunct-row cleanup, every stored field round-tripping, and a store that goes down.
/// </summary>
/// <remarks>
/// Orleans has no public in-memory membership table to run this against: its development table
/// (<c>InMemoryMembershipTable</c>, <c>MembershipTableSystemTarget</c>) and the TestingHost's
/// <c>InProcessMembershipTable</c> are internal to their assemblies. Each test uses a cluster id of its own.
/// </remarks>
public abstract class MembershipTableContractTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One silo's view of <paramref name="clusterId"/>'s table, initialized as a starting silo does.</summary>
    protected abstract OrleansServices CreateSilo(string clusterId);

    /// <summary>A client's view of <paramref name="clusterId"/>'s gateways.</summary>
    protected abstract OrleansServices CreateClient(string clusterId);

    /// <summary>A silo's view whose store a test can take down, and the way to do it.</summary>
    protected abstract Task<(OrleansServices Silo, IStoreOutage Outage)> CreateSiloWithOutageAsync(string clusterId);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_owned))
        {
            await item.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected T Own<T>(T item)
        where T : IAsyncDisposable
    {
        _owned.Add(item);
        return item;
    }

    protected static string NewClusterId() => "m-" + Guid.NewGuid().ToString("N");

    protected async Task<IMembershipTable> TableAsync(string clusterId)
    {
        var table = Own(CreateSilo(clusterId)).Get<IMembershipTable>();
        await table.InitializeMembershipTableAsync(true, Ct);
        return table;
    }

    [Fact]
    public async Task ReadAll_FreshCluster_VersionZeroAndNoMembers()
    {
        var table = await TableAsync(NewClusterId());

        var data = await table.ReadAllAsync(Ct);

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.NotNull(data.Version.VersionEtag);
    }

    [Fact]
    public async Task Initialize_AgainBySecondSilo_KeepsVersionAndRows()
    {
        var clusterId = NewClusterId();
        var first = await TableAsync(clusterId);
        Assert.True(await first.InsertRowAsync(Silo(1), (await first.ReadAllAsync(Ct)).Version.Next(), Ct));

        var second = await TableAsync(clusterId);
        var data = await second.ReadAllAsync(Ct);

        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task InsertRow_CurrentVersion_StoresEveryFieldAndAdvancesVersion()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Silo(11111, SiloStatus.Joining);

        var inserted = await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct);
        var data = await table.ReadAllAsync(Ct);

        Assert.True(inserted);
        Assert.Equal(1, data.Version.Version);
        var (stored, etag) = Assert.Single(data.Members);
        Assert.Equal(Stored(entry), Stored(stored));
        Assert.Equal(data.Version.VersionEtag, etag);
    }

    [Fact]
    public async Task InsertRow_StaleVersion_FailsAndChangesNothing()
    {
        var table = await TableAsync(NewClusterId());
        var stale = (await table.ReadAllAsync(Ct)).Version.Next();
        Assert.True(await table.InsertRowAsync(Silo(1), stale, Ct));

        var inserted = await table.InsertRowAsync(Silo(2), stale, Ct);
        var data = await table.ReadAllAsync(Ct);

        Assert.False(inserted);
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task InsertRow_SameSiloAgain_FailsAndVersionUnchanged()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Silo(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadAllAsync(Ct);

        var again = await table.InsertRowAsync(entry, before.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.False(again);
        Assert.Equal(before.Version.Version, after.Version.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task ReadRow_OneOfSeveral_ReturnsThatRowAndTheTableVersion()
    {
        var table = await TableAsync(NewClusterId());
        var entries = new[] { Silo(1), Silo(2), Silo(3) };
        foreach (var entry in entries)
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        }

        var row = await table.ReadRowAsync(entries[1].SiloAddress, Ct);
        var missing = await table.ReadRowAsync(Address(4), Ct);

        var (stored, etag) = Assert.Single(row.Members);
        Assert.Equal(Stored(entries[1]), Stored(stored));
        Assert.Equal(3, row.Version.Version);
        Assert.Equal(row.Version.VersionEtag, etag);
        Assert.Empty(missing.Members);
        Assert.Equal(3, missing.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_CurrentVersionAndETag_WritesStatusSuspicionsAndTimeAndAdvancesVersion()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Silo(1, SiloStatus.Joining);
        var suspecter = Silo(2);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var read = await table.ReadAllAsync(Ct);
        var etag = read.TryGet(entry.SiloAddress)!.Item2;

        entry.Status = SiloStatus.Active;
        entry.IAmAliveTime = Now().AddSeconds(3);
        entry.SuspectTimes = [Tuple.Create(suspecter.SiloAddress, Now().AddSeconds(1)), Tuple.Create(Address(3), Now().AddSeconds(2))];
        var updated = await table.UpdateRowAsync(entry, etag, read.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.True(updated);
        Assert.Equal(read.Version.Version + 1, after.Version.Version);
        Assert.Equal(Stored(entry), Stored(after.TryGet(entry.SiloAddress)!.Item1));
    }

    [Fact]
    public async Task UpdateRow_StaleVersionOrETag_FailsAndChangesNothing()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Silo(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var stale = await table.ReadAllAsync(Ct);
        var staleETag = stale.TryGet(entry.SiloAddress)!.Item2;
        Assert.True(await table.InsertRowAsync(Silo(2), stale.Version.Next(), Ct));
        var current = await table.ReadAllAsync(Ct);

        var changed = Silo(1);
        changed.SiloAddress = entry.SiloAddress;
        changed.Status = SiloStatus.Dead;
        var withStaleVersion = await table.UpdateRowAsync(changed, staleETag, stale.Version.Next(), Ct);
        var withStaleETag = await table.UpdateRowAsync(changed, staleETag, current.Version.Next(), Ct);
        var after = await table.ReadAllAsync(Ct);

        Assert.False(withStaleVersion);
        Assert.False(withStaleETag);
        Assert.Equal(current.Version.Version, after.Version.Version);
        Assert.Equal(SiloStatus.Active, after.TryGet(entry.SiloAddress)!.Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_SiloNotInTable_FailsAndVersionUnchanged()
    {
        var table = await TableAsync(NewClusterId());
        Assert.True(await table.InsertRowAsync(Silo(1), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var read = await table.ReadAllAsync(Ct);

        var updated = await table.UpdateRowAsync(Silo(2), read.Version.VersionEtag, read.Version.Next(), Ct);

        Assert.False(updated);
        Assert.Equal(read.Version.Version, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_WritesOnlyTheTime_VersionAndOtherFieldsUnchanged()
    {
        var table = await TableAsync(NewClusterId());
        var entry = Silo(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadAllAsync(Ct);

        // What the membership agent passes: the address and the new time only.
        var alive = Now().AddSeconds(30);
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = alive }, Ct);
        var after = await table.ReadAllAsync(Ct);

        entry.IAmAliveTime = alive;
        Assert.Equal(before.Version.Version, after.Version.Version);
        Assert.Equal(before.Version.VersionEtag, after.Version.VersionEtag);
        Assert.Equal(Stored(entry), Stored(after.TryGet(entry.SiloAddress)!.Item1));
    }

    [Fact]
    public async Task ConcurrentSilos_InsertWithTheSameVersion_ExactlyOneWins()
    {
        var clusterId = NewClusterId();
        var tables = new List<IMembershipTable>();
        for (var i = 0; i < 8; i++)
        {
            tables.Add(await TableAsync(clusterId));
        }

        var version = (await tables[0].ReadAllAsync(Ct)).Version.Next();
        using var start = new SemaphoreSlim(0);
        var attempts = tables.Select((table, i) => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await table.InsertRowAsync(Silo(100 + i), version, Ct);
        }, Ct)).ToList();
        start.Release(tables.Count);
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var data = await tables[0].ReadAllAsync(Ct);

        Assert.Single(results, r => r);
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task ConcurrentSilos_UpdateUntilDone_EveryWriteCountedOnce()
    {
        var clusterId = NewClusterId();
        var setup = await TableAsync(clusterId);
        var entry = Silo(1);
        Assert.True(await setup.InsertRowAsync(entry, (await setup.ReadAllAsync(Ct)).Version.Next(), Ct));
        var tables = new List<IMembershipTable>();
        for (var i = 0; i < 6; i++)
        {
            tables.Add(await TableAsync(clusterId));
        }

        // Each writer retries read-then-conditional-update until its one write lands, as a silo does.
        var writers = tables.SelectMany(table => Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var read = await table.ReadAllAsync(Ct);
                var (row, etag) = read.TryGet(entry.SiloAddress)!;
                row.IAmAliveTime = Now();
                if (await table.UpdateRowAsync(row, etag, read.Version.Next(), Ct))
                {
                    return;
                }
            }
        }, Ct))).ToList();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(120), Ct);
        var data = await setup.ReadAllAsync(Ct);

        Assert.Equal(1 + writers.Count, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOnlyDeadRowsNotHeardFromSinceTheCutOff()
    {
        var table = await TableAsync(NewClusterId());
        var old = Now().AddDays(-10);
        var oldDead = Silo(1, SiloStatus.Dead, old);
        var oldActive = Silo(2, SiloStatus.Active, old);
        var oldJoining = Silo(3, SiloStatus.Joining, old);
        var recentDead = Silo(4, SiloStatus.Dead);
        foreach (var entry in new[] { oldDead, oldActive, oldJoining, recentDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        }

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-7), Ct);
        var data = await table.ReadAllAsync(Ct);

        Assert.Equal(
            new[] { oldActive, oldJoining, recentDead }.Select(e => e.SiloAddress.ToParsableString()).Order(),
            data.Members.Select(m => m.Item1.SiloAddress.ToParsableString()).Order());
        Assert.Equal(4, data.Version.Version);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesThatClusterOnly()
    {
        var clusterId = NewClusterId();
        var table = await TableAsync(clusterId);
        var other = await TableAsync(NewClusterId());
        Assert.True(await table.InsertRowAsync(Silo(1), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        Assert.True(await other.InsertRowAsync(Silo(1), (await other.ReadAllAsync(Ct)).Version.Next(), Ct));

        await table.DeleteMembershipTableEntriesAsync(clusterId, Ct);
        await table.InitializeMembershipTableAsync(true, Ct);

        Assert.Empty((await table.ReadAllAsync(Ct)).Members);
        Assert.Equal(0, (await table.ReadAllAsync(Ct)).Version.Version);
        Assert.Single((await other.ReadAllAsync(Ct)).Members);
    }

    [Fact]
    public async Task Clusters_SameSiloAddress_AreSeparateTables()
    {
        var one = await TableAsync(NewClusterId());
        var two = await TableAsync(NewClusterId());
        var entry = Silo(1);

        Assert.True(await one.InsertRowAsync(entry, (await one.ReadAllAsync(Ct)).Version.Next(), Ct));
        Assert.True(await two.InsertRowAsync(entry, (await two.ReadAllAsync(Ct)).Version.Next(), Ct));

        Assert.Equal(1, (await one.ReadAllAsync(Ct)).Version.Version);
        Assert.Equal(1, (await two.ReadAllAsync(Ct)).Version.Version);
    }

    [Fact]
    public async Task Gateways_ClientReadsActiveSilosWithAProxyPortOnly()
    {
        var clusterId = NewClusterId();
        var table = await TableAsync(clusterId);
        var active = Silo(1);
        var noGateway = Silo(2, proxyPort: 0);
        var joining = Silo(3, SiloStatus.Joining);
        var dead = Silo(4, SiloStatus.Dead);
        foreach (var entry in new[] { active, noGateway, joining, dead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        }

        var gateways = Own(CreateClient(clusterId)).Get<IGatewayListProvider>();
        await gateways.InitializeGatewayListProviderAsync(Ct);
        var list = await gateways.GetGatewaysAsync(Ct);

        var gateway = Assert.Single(list);
        Assert.Equal(SiloAddress.New(active.SiloAddress.Endpoint.Address, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri(), gateway);
    }

    [Fact]
    public async Task StoreDown_CallsFailQuicklyWithStoreUnavailable_AndWorkAgainWhenItReturns()
    {
        var (silo, outage) = await CreateSiloWithOutageAsync(NewClusterId());
        Own(silo);
        Own(outage);
        var table = silo.Get<IMembershipTable>();
        await table.InitializeMembershipTableAsync(true, Ct);
        var entry = Silo(1);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        // Every call is bounded: the store's command timeout (a few seconds here) must end it, not a test timeout.
        await outage.StartAsync();
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => table.ReadAllAsync(Ct).WaitAsync(Bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.InsertRowAsync(Silo(2), new TableVersion(2, "1"), Ct).WaitAsync(Bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.UpdateIAmAliveAsync(entry, Ct).WaitAsync(Bound, Ct));
        await outage.EndAsync();

        var data = await Retry.UnavailableAsync(() => table.ReadAllAsync(Ct));
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(Stored(entry), Stored(Assert.Single(data.Members).Item1));
        Assert.True(await table.InsertRowAsync(Silo(2), data.Version.Next(), Ct));
        Assert.Contains("unavailable while reading the membership table", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }
}
