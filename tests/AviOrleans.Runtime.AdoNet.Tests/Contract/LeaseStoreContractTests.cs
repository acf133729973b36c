using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.Contract;

/// <summary>
/// The contract every <see cref="ILeaseStore"/> must keep, written once and run against each store by a
/// subclass. Leases that must stay held are long (a minute), so a loaded machine cannot make them run out;
/// leases meant to run out are short and the test waits, bounded, until the store itself says they did.
/// </summary>
public abstract class LeaseStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private readonly List<object> _owned = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new client of <paramref name="clusterId"/>'s leases (as another silo would hold one).</summary>
    protected abstract Task<ILeaseStore> CreateStoreAsync(string clusterId);

    /// <summary>A client of <paramref name="clusterId"/>'s leases, and a way to take its store down and back up.</summary>
    protected abstract Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId);

    /// <summary>Lets the store's clock move on by at least <paramref name="time"/>.</summary>
    protected abstract Task LetStoreTimePassAsync(TimeSpan time);

    /// <summary>What the store's clock should read about now.</summary>
    protected virtual DateTimeOffset ExpectedStoreNow => DateTimeOffset.UtcNow;

    protected virtual int ConcurrentClients => 12;

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
        }

        GC.SuppressFinalize(this);
    }

    protected static string NewClusterId() => "l-" + Guid.NewGuid().ToString("N");

    private async Task<Lease> RunOutAsync(ILeaseStore store, string name)
    {
        for (var i = 0; i < 200; i++)
        {
            await LetStoreTimePassAsync(Short);
            var lease = await store.ReadAsync(name, Ct);
            if (lease is { IsHeld: false })
            {
                return lease;
            }
        }

        throw new TimeoutException($"Lease {name} never ran out by the store's clock.");
    }

    [Fact]
    public async Task TryAcquire_NeverAcquired_GrantsEpochOneUntilStoreNowPlusDuration()
    {
        var store = await CreateStoreAsync(NewClusterId());

        var lease = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        Assert.NotNull(lease);
        Assert.Equal(("silo-a", "owner-1", 1L), (lease.Name, lease.Owner, lease.Epoch));
        Assert.Equal(Long, lease.ExpiresAt - lease.StoreTime);
        Assert.True(lease.IsHeld);
        Assert.InRange(lease.StoreTime, ExpectedStoreNow - TimeSpan.FromMinutes(1), ExpectedStoreNow + TimeSpan.FromMinutes(1));
        var read = await store.ReadAsync("silo-a", Ct);
        Assert.Equal((lease.Owner, lease.Epoch, lease.ExpiresAt), (read!.Owner, read.Epoch, read.ExpiresAt));
        Assert.True(read.IsHeld);
    }

    [Fact]
    public async Task Read_NeverAcquired_GivesNull()
    {
        var store = await CreateStoreAsync(NewClusterId());

        Assert.Null(await store.ReadAsync("nobody", Ct));
    }

    [Fact]
    public async Task TryAcquire_HeldByAnother_ReturnsNullAndChangesNothing()
    {
        var clusterId = NewClusterId();
        var first = await CreateStoreAsync(clusterId);
        var second = await CreateStoreAsync(clusterId);
        var held = await first.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        var taken = await second.TryAcquireAsync("silo-a", "owner-2", Long, Ct);
        var read = await second.ReadAsync("silo-a", Ct);

        Assert.Null(taken);
        Assert.Equal((held!.Owner, held.Epoch, held.ExpiresAt), (read!.Owner, read.Epoch, read.ExpiresAt));
    }

    [Fact]
    public async Task TryAcquire_ByTheHolderAgain_GivesAHigherEpoch()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var first = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        var again = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        Assert.True(again!.Epoch > first!.Epoch);
        Assert.Null(await store.RenewAsync("silo-a", "owner-1", first.Epoch, Long, Ct));
    }

    [Fact]
    public async Task Renew_ByHolder_ExtendsFromStoreNowAndKeepsEpoch()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        var renewed = await store.RenewAsync("silo-a", "owner-1", lease!.Epoch, Long * 2, Ct);

        Assert.NotNull(renewed);
        Assert.Equal(lease.Epoch, renewed.Epoch);
        Assert.Equal(Long * 2, renewed.ExpiresAt - renewed.StoreTime);
        Assert.True(renewed.ExpiresAt > lease.ExpiresAt);
        Assert.Equal(renewed.ExpiresAt, (await store.ReadAsync("silo-a", Ct))!.ExpiresAt);
    }

    [Fact]
    public async Task Renew_WrongOwnerOrEpochOrName_ReturnsNullAndChangesNothing()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        Assert.Null(await store.RenewAsync("silo-a", "owner-2", lease!.Epoch, Long * 3, Ct));
        Assert.Null(await store.RenewAsync("silo-a", "owner-1", lease.Epoch + 1, Long * 3, Ct));
        Assert.Null(await store.RenewAsync("silo-b", "owner-1", lease.Epoch, Long * 3, Ct));

        Assert.Equal(lease.ExpiresAt, (await store.ReadAsync("silo-a", Ct))!.ExpiresAt);
        Assert.Null(await store.ReadAsync("silo-b", Ct));
    }

    [Fact]
    public async Task LeaseRunsOut_HolderCannotRenew_AnotherTakesOverWithHigherEpoch()
    {
        var clusterId = NewClusterId();
        var holder = await CreateStoreAsync(clusterId);
        var survivor = await CreateStoreAsync(clusterId);
        var lease = await holder.TryAcquireAsync("silo-a", "owner-1", Short, Ct);

        var ranOut = await RunOutAsync(survivor, "silo-a");
        var renewed = await holder.RenewAsync("silo-a", "owner-1", lease!.Epoch, Long, Ct);
        var taken = await survivor.TryAcquireAsync("silo-a", "owner-2", Long, Ct);

        Assert.False(ranOut.IsHeld);
        Assert.Equal(TimeSpan.Zero, ranOut.Remaining);
        Assert.Null(renewed);
        Assert.NotNull(taken);
        Assert.Equal("owner-2", taken.Owner);
        Assert.True(taken.Epoch > lease.Epoch);
        Assert.Null(await holder.RenewAsync("silo-a", "owner-1", lease.Epoch, Long, Ct));
        Assert.False(await holder.ReleaseAsync("silo-a", "owner-1", lease.Epoch, Ct));
        Assert.Null(await holder.TryAcquireAsync("silo-a", "owner-1", Long, Ct));
    }

    [Fact]
    public async Task Release_ByHolder_EndsLeaseAndKeepsEpochForTheNextOwnerToExceed()
    {
        var clusterId = NewClusterId();
        var store = await CreateStoreAsync(clusterId);
        var other = await CreateStoreAsync(clusterId);
        var lease = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        var released = await store.ReleaseAsync("silo-a", "owner-1", lease!.Epoch, Ct);
        var read = await other.ReadAsync("silo-a", Ct);
        var next = await other.TryAcquireAsync("silo-a", "owner-2", Long, Ct);

        Assert.True(released);
        Assert.False(read!.IsHeld);
        Assert.Equal(lease.Epoch, read.Epoch);
        Assert.Equal(lease.Epoch + 1, next!.Epoch);
        Assert.False(await store.ReleaseAsync("silo-a", "owner-1", lease.Epoch, Ct));
    }

    [Fact]
    public async Task Release_NotHolder_ReturnsFalseAndLeaseStaysHeld()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        Assert.False(await store.ReleaseAsync("silo-a", "owner-2", lease!.Epoch, Ct));
        Assert.False(await store.ReleaseAsync("silo-a", "owner-1", lease.Epoch + 1, Ct));
        Assert.False(await store.ReleaseAsync("never", "owner-1", 1, Ct));

        Assert.True((await store.ReadAsync("silo-a", Ct))!.IsHeld);
    }

    [Fact]
    public async Task Epoch_OverManyOwners_OnlyEverIncreases()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var epochs = new List<long>();

        for (var i = 0; i < 6; i++)
        {
            var lease = await store.TryAcquireAsync("silo-a", $"owner-{i % 3}", Long, Ct);
            epochs.Add(lease!.Epoch);
            Assert.True(await store.ReleaseAsync("silo-a", lease.Owner, lease.Epoch, Ct));
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], epochs);
    }

    [Fact]
    public async Task ConcurrentAcquirers_FreeLease_ExactlyOneWins()
    {
        var clusterId = NewClusterId();
        var clients = new List<ILeaseStore>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            clients.Add(await CreateStoreAsync(clusterId));
        }

        for (var round = 0; round < 4; round++)
        {
            var name = $"contended-{round}";
            using var start = new SemaphoreSlim(0);
            var attempts = clients.Select((client, i) => Task.Run(async () =>
            {
                await start.WaitAsync(Ct);
                return await client.TryAcquireAsync(name, $"owner-{i}", Long, Ct);
            }, Ct)).ToList();
            start.Release(clients.Count);
            var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);

            var winner = Assert.Single(results, r => r is not null);
            var read = await clients[0].ReadAsync(name, Ct);
            Assert.Equal((winner!.Owner, winner.Epoch), (read!.Owner, read.Epoch));
        }
    }

    [Fact]
    public async Task ConcurrentSurvivors_LeaseRanOut_ExactlyOneTakesOverWithTheNextEpoch()
    {
        var clusterId = NewClusterId();
        var clients = new List<ILeaseStore>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            clients.Add(await CreateStoreAsync(clusterId));
        }

        var dead = await clients[0].TryAcquireAsync("silo-dead", "dead-owner", Short, Ct);
        await RunOutAsync(clients[0], "silo-dead");

        using var start = new SemaphoreSlim(0);
        var attempts = clients.Select((client, i) => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await client.TryAcquireAsync("silo-dead", $"survivor-{i}", Long, Ct);
        }, Ct)).ToList();
        start.Release(clients.Count);
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(dead!.Epoch + 1, winner!.Epoch);
        Assert.Equal(winner.Owner, (await clients[1].ReadAsync("silo-dead", Ct))!.Owner);
    }

    [Fact]
    public async Task Clusters_HaveSeparateLeases()
    {
        var one = await CreateStoreAsync(NewClusterId());
        var two = await CreateStoreAsync(NewClusterId());

        var a = await one.TryAcquireAsync("silo-a", "owner-1", Long, Ct);
        var b = await two.TryAcquireAsync("silo-a", "owner-2", Long, Ct);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal(1, b.Epoch);
    }

    [Fact]
    public async Task BadArguments_ThrowArgumentException()
    {
        var store = await CreateStoreAsync(NewClusterId());

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("", "o", Long, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("n", null!, Long, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("n", "o", TimeSpan.Zero, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("n", "o", TimeSpan.FromDays(2), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RenewAsync("n", "o", 1, TimeSpan.FromTicks(-1), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadAsync(null!, Ct));

        Assert.Null(await store.ReadAsync("n", Ct));
    }

    [Fact]
    public async Task StoreDown_EveryCallThrowsStoreUnavailable_AndLeaseIsIntactAfterwards()
    {
        var (store, outage) = await CreateStoreWithOutageAsync(NewClusterId());
        Own(outage);
        var lease = await store.TryAcquireAsync("silo-a", "owner-1", Long, Ct);

        await outage.StartAsync();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAsync("silo-a", Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.TryAcquireAsync("silo-b", "owner-1", Long, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.RenewAsync("silo-a", "owner-1", lease!.Epoch, Long, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReleaseAsync("silo-a", "owner-1", lease!.Epoch, Ct));
        await outage.EndAsync();

        var read = await Retry.UnavailableAsync(() => store.ReadAsync("silo-a", Ct));
        Assert.Equal((lease!.Owner, lease.Epoch, lease.ExpiresAt), (read!.Owner, read.Epoch, read.ExpiresAt));
        Assert.Null(await store.ReadAsync("silo-b", Ct));
        Assert.NotNull(await store.RenewAsync("silo-a", "owner-1", lease.Epoch, Long, Ct));
    }
}
