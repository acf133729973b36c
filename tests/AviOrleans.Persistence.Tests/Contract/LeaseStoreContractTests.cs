using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Contract;

/// <summary>
/// The contract every <see cref="ILeaseStore"/> keeps, written once and run against each store: what VIP fencing
/// needs. Leases that must stay held are long (a minute), so a loaded machine cannot make them run out; leases meant
/// to run out are short and the test waits, bounded, until the store itself says they did.
/// </summary>
public abstract class LeaseStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private readonly List<object> _owned = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new client of <paramref name="clusterId"/>'s leases (as another SE host or a decider would hold one).</summary>
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

    public virtual async ValueTask DisposeAsync()
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

        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        Assert.NotNull(lease);
        Assert.Equal(("se-a", "host-1", 1L), (lease.Name, lease.Owner, lease.Epoch));
        Assert.Equal(Long, lease.ExpiresAt - lease.StoreTime);
        Assert.Equal(lease.StoreTime, lease.RenewedAt);
        Assert.True(lease.IsHeld);
        Assert.False(lease.IsRevoked);
        Assert.InRange(lease.StoreTime, ExpectedStoreNow - TimeSpan.FromMinutes(1), ExpectedStoreNow + TimeSpan.FromMinutes(1));
        var read = await store.ReadAsync("se-a", Ct);
        Assert.Equal((lease.Owner, lease.Epoch, lease.ExpiresAt, lease.RenewedAt), (read!.Owner, read.Epoch, read.ExpiresAt, read.RenewedAt));
        Assert.True(read.IsHeld);
    }

    [Fact]
    public async Task Read_NeverAcquired_GivesNull()
    {
        var store = await CreateStoreAsync(NewClusterId());

        Assert.Null(await store.ReadAsync("nobody", Ct));
        Assert.Empty(await store.ReadAllAsync(Ct));
    }

    [Fact]
    public async Task TryAcquire_HeldByAnother_ReturnsNullAndChangesNothing()
    {
        var clusterId = NewClusterId();
        var first = await CreateStoreAsync(clusterId);
        var second = await CreateStoreAsync(clusterId);
        var held = await first.TryAcquireAsync("se-a", "host-1", Long, Ct);

        var taken = await second.TryAcquireAsync("se-a", "host-2", Long, Ct);
        var read = await second.ReadAsync("se-a", Ct);

        Assert.Null(taken);
        Assert.Equal((held!.Owner, held.Epoch, held.ExpiresAt), (read!.Owner, read.Epoch, read.ExpiresAt));
    }

    [Fact]
    public async Task TryAcquire_ByTheHolderAgain_GivesAHigherEpoch()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var first = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        var again = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        Assert.True(again!.Epoch > first!.Epoch);
        Assert.Null(await store.RenewAsync("se-a", "host-1", first.Epoch, Long, Ct));
    }

    [Fact]
    public async Task Renew_ByHolder_ExtendsFromStoreNowKeepsEpochAndMovesRenewedAt()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);
        await LetStoreTimePassAsync(TimeSpan.FromMilliseconds(20));

        var renewed = await store.RenewAsync("se-a", "host-1", lease!.Epoch, Long * 2, Ct);

        Assert.NotNull(renewed);
        Assert.Equal(lease.Epoch, renewed.Epoch);
        Assert.Equal(Long * 2, renewed.ExpiresAt - renewed.StoreTime);
        Assert.Equal(renewed.StoreTime, renewed.RenewedAt);
        Assert.True(renewed.RenewedAt > lease.RenewedAt);
        Assert.True(renewed.ExpiresAt > lease.ExpiresAt);
        Assert.Equal((renewed.ExpiresAt, renewed.RenewedAt), ((await store.ReadAsync("se-a", Ct))!.ExpiresAt, (await store.ReadAsync("se-a", Ct))!.RenewedAt));
    }

    [Fact]
    public async Task Read_AfterTimePasses_SinceRenewedIsMeasuredByTheStoreClock()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        // A delay may end a little early by the store's clock (timer and clock granularity): wait more than is asserted.
        await LetStoreTimePassAsync(TimeSpan.FromMilliseconds(300));
        var read = await store.ReadAsync("se-a", Ct);

        Assert.Equal(lease!.RenewedAt, read!.RenewedAt);
        Assert.Equal(read.StoreTime - read.RenewedAt, read.SinceRenewed);
        Assert.True(read.SinceRenewed >= TimeSpan.FromMilliseconds(200), $"since renewed {read.SinceRenewed}");
        Assert.True(read.IsHeld);
        Assert.Equal(TimeSpan.Zero, read.SinceExpired);
    }

    [Fact]
    public async Task Renew_WrongOwnerOrEpochOrName_ReturnsNullAndChangesNothing()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        Assert.Null(await store.RenewAsync("se-a", "host-2", lease!.Epoch, Long * 3, Ct));
        Assert.Null(await store.RenewAsync("se-a", "host-1", lease.Epoch + 1, Long * 3, Ct));
        Assert.Null(await store.RenewAsync("se-b", "host-1", lease.Epoch, Long * 3, Ct));

        Assert.Equal(lease.ExpiresAt, (await store.ReadAsync("se-a", Ct))!.ExpiresAt);
        Assert.Null(await store.ReadAsync("se-b", Ct));
    }

    [Fact]
    public async Task LeaseRunsOut_HolderCannotRenew_AnotherTakesOverWithHigherEpoch()
    {
        var clusterId = NewClusterId();
        var holder = await CreateStoreAsync(clusterId);
        var survivor = await CreateStoreAsync(clusterId);
        var lease = await holder.TryAcquireAsync("se-a", "host-1", Short, Ct);

        var ranOut = await RunOutAsync(survivor, "se-a");
        var renewed = await holder.RenewAsync("se-a", "host-1", lease!.Epoch, Long, Ct);
        var taken = await survivor.TryAcquireAsync("se-a", "host-2", Long, Ct);

        Assert.False(ranOut.IsHeld);
        Assert.Equal(TimeSpan.Zero, ranOut.Remaining);
        Assert.Equal(ranOut.StoreTime - ranOut.ExpiresAt, ranOut.SinceExpired);
        Assert.Null(renewed);
        Assert.NotNull(taken);
        Assert.Equal("host-2", taken.Owner);
        Assert.True(taken.Epoch > lease.Epoch);
        Assert.Null(await holder.RenewAsync("se-a", "host-1", lease.Epoch, Long, Ct));
        Assert.False(await holder.ReleaseAsync("se-a", "host-1", lease.Epoch, Ct));
        Assert.Null(await holder.TryAcquireAsync("se-a", "host-1", Long, Ct));
    }

    [Fact]
    public async Task Release_ByHolder_EndsLeaseAndKeepsEpochForTheNextOwnerToExceed()
    {
        var clusterId = NewClusterId();
        var store = await CreateStoreAsync(clusterId);
        var other = await CreateStoreAsync(clusterId);
        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        var released = await store.ReleaseAsync("se-a", "host-1", lease!.Epoch, Ct);
        var read = await other.ReadAsync("se-a", Ct);
        var next = await other.TryAcquireAsync("se-a", "host-2", Long, Ct);

        Assert.True(released);
        Assert.False(read!.IsHeld);
        Assert.Equal(lease.Epoch, read.Epoch);
        Assert.Equal(lease.Epoch + 1, next!.Epoch);
        Assert.False(await store.ReleaseAsync("se-a", "host-1", lease.Epoch, Ct));
    }

    [Fact]
    public async Task Release_NotHolder_ReturnsFalseAndLeaseStaysHeld()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        Assert.False(await store.ReleaseAsync("se-a", "host-2", lease!.Epoch, Ct));
        Assert.False(await store.ReleaseAsync("se-a", "host-1", lease.Epoch + 1, Ct));
        Assert.False(await store.ReleaseAsync("never", "host-1", 1, Ct));

        Assert.True((await store.ReadAsync("se-a", Ct))!.IsHeld);
    }

    [Fact]
    public async Task Revoke_HeldLease_RaisesEpochSoTheHolderCanNeitherRenewNorTakeItBack()
    {
        var clusterId = NewClusterId();
        var holder = await CreateStoreAsync(clusterId);
        var decider = await CreateStoreAsync(clusterId);
        var lease = await holder.TryAcquireAsync("se-a", "host-1", Long, Ct);

        var revoked = await decider.RevokeAsync("se-a", lease!.Epoch, "decider-1", Long, Ct);

        Assert.NotNull(revoked);
        Assert.Equal(lease.Epoch + 1, revoked.Epoch);
        Assert.Equal(("decider-1", "decider-1"), (revoked.Owner, revoked.RevokedBy));
        Assert.True(revoked.IsRevoked);
        Assert.True(revoked.IsHeld);
        Assert.Equal(Long, revoked.ExpiresAt - revoked.StoreTime);
        Assert.Null(await holder.RenewAsync("se-a", "host-1", lease.Epoch, Long, Ct));
        Assert.Null(await holder.TryAcquireAsync("se-a", "host-1", Long, Ct));
        Assert.False(await holder.ReleaseAsync("se-a", "host-1", lease.Epoch, Ct));
        var read = await holder.ReadAsync("se-a", Ct);
        Assert.Equal((revoked.Owner, revoked.Epoch, "decider-1"), (read!.Owner, read.Epoch, read.RevokedBy));
    }

    [Fact]
    public async Task Revoke_ThenReleaseByTheRevoker_LetsTheOldHolderBackWithAHigherEpoch()
    {
        var clusterId = NewClusterId();
        var holder = await CreateStoreAsync(clusterId);
        var decider = await CreateStoreAsync(clusterId);
        var lease = await holder.TryAcquireAsync("se-a", "host-1", Long, Ct);
        var revoked = await decider.RevokeAsync("se-a", lease!.Epoch, "decider-1", Long, Ct);

        Assert.True(await decider.ReleaseAsync("se-a", "decider-1", revoked!.Epoch, Ct));
        var back = await holder.TryAcquireAsync("se-a", "host-1", Long, Ct);

        Assert.NotNull(back);
        Assert.Equal(revoked.Epoch + 1, back.Epoch);
        Assert.False(back.IsRevoked);
    }

    [Fact]
    public async Task Revoke_EpochMovedOrNeverAcquired_ReturnsNullAndChangesNothing()
    {
        var clusterId = NewClusterId();
        var holder = await CreateStoreAsync(clusterId);
        var decider = await CreateStoreAsync(clusterId);
        var first = await holder.TryAcquireAsync("se-a", "host-1", Long, Ct);
        var second = await holder.TryAcquireAsync("se-a", "host-1", Long, Ct);

        Assert.Null(await decider.RevokeAsync("se-a", first!.Epoch, "decider-1", Long, Ct));
        Assert.Null(await decider.RevokeAsync("se-never", 1, "decider-1", Long, Ct));

        var read = await decider.ReadAsync("se-a", Ct);
        Assert.Equal(("host-1", second!.Epoch), (read!.Owner, read.Epoch));
        Assert.False(read.IsRevoked);
        Assert.Null(await decider.ReadAsync("se-never", Ct));
    }

    [Fact]
    public async Task Revoke_RunOutLease_FencesItAndTwoDecidersCannotBothRevoke()
    {
        var clusterId = NewClusterId();
        var holder = await CreateStoreAsync(clusterId);
        var deciders = new List<ILeaseStore>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            deciders.Add(await CreateStoreAsync(clusterId));
        }

        var lease = await holder.TryAcquireAsync("se-a", "host-1", Short, Ct);
        var ranOut = await RunOutAsync(deciders[0], "se-a");

        using var start = new SemaphoreSlim(0);
        var attempts = deciders.Select((decider, i) => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await decider.RevokeAsync("se-a", ranOut.Epoch, $"decider-{i}", Long, Ct);
        }, Ct)).ToList();
        start.Release(deciders.Count);
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(lease!.Epoch + 1, winner!.Epoch);
        Assert.Equal(winner.Owner, (await holder.ReadAsync("se-a", Ct))!.Owner);
    }

    [Fact]
    public async Task ReadAll_SeveralLeases_OneStoreClockAndSortedByName()
    {
        var clusterId = NewClusterId();
        var store = await CreateStoreAsync(clusterId);
        var other = await CreateStoreAsync(NewClusterId());
        await store.TryAcquireAsync("se-c", "host-3", Long, Ct);
        await store.TryAcquireAsync("se-a", "host-1", Long, Ct);
        var b = await store.TryAcquireAsync("se-b", "host-2", Long, Ct);
        await store.ReleaseAsync("se-b", "host-2", b!.Epoch, Ct);
        await other.TryAcquireAsync("se-z", "host-9", Long, Ct);

        var all = await store.ReadAllAsync(Ct);

        Assert.Equal(["se-a", "se-b", "se-c"], all.Select(l => l.Name));
        Assert.Equal(["host-1", "host-2", "host-3"], all.Select(l => l.Owner));
        Assert.Single(all.Select(l => l.StoreTime).Distinct());
        Assert.Equal([true, false, true], all.Select(l => l.IsHeld));
    }

    [Fact]
    public async Task Epoch_OverManyOwners_OnlyEverIncreases()
    {
        var store = await CreateStoreAsync(NewClusterId());
        var epochs = new List<long>();

        for (var i = 0; i < 6; i++)
        {
            var lease = await store.TryAcquireAsync("se-a", $"host-{i % 3}", Long, Ct);
            epochs.Add(lease!.Epoch);
            if (i == 3)
            {
                lease = await store.RevokeAsync("se-a", lease.Epoch, "decider", Long, Ct);
                epochs.Add(lease!.Epoch);
            }

            Assert.True(await store.ReleaseAsync("se-a", lease.Owner, lease.Epoch, Ct));
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], epochs);
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
                return await client.TryAcquireAsync(name, $"host-{i}", Long, Ct);
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

        var dead = await clients[0].TryAcquireAsync("se-dead", "dead-host", Short, Ct);
        await RunOutAsync(clients[0], "se-dead");

        using var start = new SemaphoreSlim(0);
        var attempts = clients.Select((client, i) => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            return await client.TryAcquireAsync("se-dead", $"survivor-{i}", Long, Ct);
        }, Ct)).ToList();
        start.Release(clients.Count);
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(dead!.Epoch + 1, winner!.Epoch);
        Assert.Equal(winner.Owner, (await clients[1].ReadAsync("se-dead", Ct))!.Owner);
    }

    [Fact]
    public async Task Clusters_HaveSeparateLeases()
    {
        var one = await CreateStoreAsync(NewClusterId());
        var two = await CreateStoreAsync(NewClusterId());

        var a = await one.TryAcquireAsync("se-a", "host-1", Long, Ct);
        var b = await two.TryAcquireAsync("se-a", "host-2", Long, Ct);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal(1, b.Epoch);
    }

    [Fact]
    public async Task BadArguments_ThrowArgumentExceptionAndChangeNothing()
    {
        var store = await CreateStoreAsync(NewClusterId());

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("", "o", Long, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("n", null!, Long, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync(new string('n', 257), "o", Long, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("n", "o", TimeSpan.Zero, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAcquireAsync("n", "o", TimeSpan.FromDays(2), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RenewAsync("n", "o", 1, TimeSpan.FromTicks(-1), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RevokeAsync("n", 1, "", Long, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RevokeAsync("n", 1, "d", TimeSpan.Zero, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadAsync(null!, Ct));

        Assert.Null(await store.ReadAsync("n", Ct));
    }

    [Fact]
    public async Task StoreDown_EveryCallThrowsStoreUnavailable_AndLeaseIsIntactAfterwards()
    {
        var (store, outage) = await CreateStoreWithOutageAsync(NewClusterId());
        Own(outage);
        var lease = await store.TryAcquireAsync("se-a", "host-1", Long, Ct);

        await outage.StartAsync();
        var bound = TimeSpan.FromSeconds(60);
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAsync("se-a", Ct).WaitAsync(bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAllAsync(Ct).WaitAsync(bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.TryAcquireAsync("se-b", "host-1", Long, Ct).WaitAsync(bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.RenewAsync("se-a", "host-1", lease!.Epoch, Long, Ct).WaitAsync(bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReleaseAsync("se-a", "host-1", lease!.Epoch, Ct).WaitAsync(bound, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.RevokeAsync("se-a", lease!.Epoch, "d", Long, Ct).WaitAsync(bound, Ct));
        await outage.EndAsync();

        var read = await Retry.UnavailableAsync(() => store.ReadAsync("se-a", Ct));
        Assert.Equal((lease!.Owner, lease.Epoch, lease.ExpiresAt), (read!.Owner, read.Epoch, read.ExpiresAt));
        Assert.Null(await store.ReadAsync("se-b", Ct));
        Assert.NotNull(await store.RenewAsync("se-a", "host-1", lease.Epoch, Long, Ct));
        Assert.Contains("lease 'se-a'", error.Message, StringComparison.Ordinal);
    }
}
