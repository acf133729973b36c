using System.Text;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.Contract;

/// <summary>
/// The contract every <see cref="IGrainStateStore"/> must keep, written once and run against each store by a
/// subclass. Each test uses a service id (or grain keys) of its own.
/// </summary>
public abstract class GrainStateStoreContractTests : IAsyncLifetime
{
    private const string GrainType = "AviOrleans.Grains.VirtualServiceGrain";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly List<object> _owned = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new client of <paramref name="serviceId"/>'s grain state (as another silo would hold one).</summary>
    protected abstract Task<IGrainStateStore> CreateStoreAsync(string serviceId);

    /// <summary>A client of <paramref name="serviceId"/>'s state, and a way to take its store down and back up.</summary>
    protected abstract Task<(IGrainStateStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string serviceId);

    /// <summary>How many independent clients (connections) the concurrency tests use.</summary>
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
            else if (item is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    protected static string NewServiceId() => "s-" + Guid.NewGuid().ToString("N");

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(GrainStateRecord? record) => Encoding.UTF8.GetString(Assert.IsType<GrainStateRecord>(record).Payload.Span);

    [Fact]
    public async Task Read_NeverWritten_GivesNull()
    {
        var store = await CreateStoreAsync(NewServiceId());

        Assert.Null(await store.ReadAsync(GrainType, "vs-1", Ct));
    }

    [Fact]
    public async Task Write_WithoutETag_ThenRead_GivesPayloadAndSameETag()
    {
        var store = await CreateStoreAsync(NewServiceId());

        var etag = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);
        var read = await store.ReadAsync(GrainType, "vs-1", Ct);

        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal("first", Text(read));
        Assert.Equal(etag, read!.ETag);
    }

    [Fact]
    public async Task Write_WithCurrentETag_ReplacesStateAndGivesNewETag()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var first = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);

        var second = await store.WriteAsync(GrainType, "vs-1", Bytes("second"), first, Ct);
        var read = await store.ReadAsync(GrainType, "vs-1", Ct);

        Assert.NotEqual(first, second);
        Assert.Equal("second", Text(read));
        Assert.Equal(second, read!.ETag);
    }

    [Fact]
    public async Task Write_WithStaleETag_ThrowsInconsistentStateAndKeepsNewerState()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var stale = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);
        var current = await store.WriteAsync(GrainType, "vs-1", Bytes("second"), stale, Ct);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(GrainType, "vs-1", Bytes("stale"), stale, Ct));
        var read = await store.ReadAsync(GrainType, "vs-1", Ct);

        Assert.Equal(GrainType, error.GrainType);
        Assert.Equal("vs-1", error.GrainKey);
        Assert.Equal(stale, error.ExpectedETag);
        Assert.Equal(current, error.StoredETag);
        Assert.Equal("second", Text(read));
        Assert.Equal(current, read!.ETag);
    }

    [Fact]
    public async Task Write_WithoutETagWhenStateExists_ThrowsAndKeepsState()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var etag = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(GrainType, "vs-1", Bytes("blind"), null, Ct));

        Assert.Equal("first", Text(await store.ReadAsync(GrainType, "vs-1", Ct)));
        Assert.Equal(etag, (await store.ReadAsync(GrainType, "vs-1", Ct))!.ETag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0")]
    [InlineData("999999")]
    public async Task Write_ETagNeverHandedOut_ThrowsAndWritesNothing(string etag)
    {
        var store = await CreateStoreAsync(NewServiceId());

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(GrainType, "vs-1", Bytes("x"), etag, Ct));

        Assert.Null(await store.ReadAsync(GrainType, "vs-1", Ct));
    }

    [Fact]
    public async Task Clear_WithCurrentETag_ReadGivesNull_AndNextWriteWithoutETagSucceeds()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var first = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);
        var second = await store.WriteAsync(GrainType, "vs-1", Bytes("second"), first, Ct);

        await store.ClearAsync(GrainType, "vs-1", second, Ct);
        var cleared = await store.ReadAsync(GrainType, "vs-1", Ct);
        var third = await store.WriteAsync(GrainType, "vs-1", Bytes("third"), null, Ct);

        Assert.Null(cleared);
        Assert.Equal("third", Text(await store.ReadAsync(GrainType, "vs-1", Ct)));
        Assert.DoesNotContain(third, new[] { first, second });
    }

    [Fact]
    public async Task Clear_ThenRewrite_StaleWriterFromBeforeTheClearStillFails()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var stale = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);
        await store.ClearAsync(GrainType, "vs-1", stale, Ct);
        var rewritten = await store.WriteAsync(GrainType, "vs-1", Bytes("again"), null, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(GrainType, "vs-1", Bytes("stale"), stale, Ct));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearAsync(GrainType, "vs-1", stale, Ct));

        Assert.Equal("again", Text(await store.ReadAsync(GrainType, "vs-1", Ct)));
        Assert.Equal(rewritten, (await store.ReadAsync(GrainType, "vs-1", Ct))!.ETag);
    }

    [Fact]
    public async Task Clear_AfterClear_WithOldETag_Throws()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var etag = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);
        await store.ClearAsync(GrainType, "vs-1", etag, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearAsync(GrainType, "vs-1", etag, Ct));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(GrainType, "vs-1", Bytes("x"), etag, Ct));

        Assert.Null(await store.ReadAsync(GrainType, "vs-1", Ct));
    }

    [Fact]
    public async Task Clear_WithStaleETag_ThrowsAndKeepsState()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var stale = await store.WriteAsync(GrainType, "vs-1", Bytes("first"), null, Ct);
        await store.WriteAsync(GrainType, "vs-1", Bytes("second"), stale, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearAsync(GrainType, "vs-1", stale, Ct));

        Assert.Equal("second", Text(await store.ReadAsync(GrainType, "vs-1", Ct)));
    }

    [Fact]
    public async Task Clear_WithoutETag_NoState_Succeeds_ButWithStateThrows()
    {
        var store = await CreateStoreAsync(NewServiceId());

        await store.ClearAsync(GrainType, "never-written", null, Ct);
        await store.WriteAsync(GrainType, "vs-1", Bytes("kept"), null, Ct);
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearAsync(GrainType, "vs-1", null, Ct));

        Assert.Null(await store.ReadAsync(GrainType, "never-written", Ct));
        Assert.Equal("kept", Text(await store.ReadAsync(GrainType, "vs-1", Ct)));
    }

    [Fact]
    public async Task Write_EmptyAndLargePayloads_RoundTripExactly()
    {
        var store = await CreateStoreAsync(NewServiceId());
        var large = new byte[1 << 20];
        new Random(7).NextBytes(large);

        await store.WriteAsync(GrainType, "empty", ReadOnlyMemory<byte>.Empty, null, Ct);
        await store.WriteAsync(GrainType, "large", large, null, Ct);

        var empty = await store.ReadAsync(GrainType, "empty", Ct);
        Assert.NotNull(empty);
        Assert.Equal(0, empty.Payload.Length);
        Assert.Equal(large, (await store.ReadAsync(GrainType, "large", Ct))!.Payload.ToArray());
    }

    [Fact]
    public async Task Keys_TypesAndServices_AreIndependent()
    {
        var serviceId = NewServiceId();
        var store = await CreateStoreAsync(serviceId);
        var otherService = await CreateStoreAsync(NewServiceId());

        await store.WriteAsync(GrainType, "k", Bytes("a"), null, Ct);
        await store.WriteAsync("OtherGrain", "k", Bytes("b"), null, Ct);
        await store.WriteAsync(GrainType, "K", Bytes("c"), null, Ct);
        await store.WriteAsync(GrainType, "", Bytes("d"), null, Ct);
        await otherService.WriteAsync(GrainType, "k", Bytes("e"), null, Ct);

        Assert.Equal("a", Text(await store.ReadAsync(GrainType, "k", Ct)));
        Assert.Equal("b", Text(await store.ReadAsync("OtherGrain", "k", Ct)));
        Assert.Equal("c", Text(await store.ReadAsync(GrainType, "K", Ct)));
        Assert.Equal("d", Text(await store.ReadAsync(GrainType, "", Ct)));
        Assert.Equal("e", Text(await otherService.ReadAsync(GrainType, "k", Ct)));
        Assert.Equal("a", Text(await (await CreateStoreAsync(serviceId)).ReadAsync(GrainType, "k", Ct)));
    }

    [Fact]
    public async Task Write_NullGrainTypeOrKey_ThrowsArgumentException()
    {
        var store = await CreateStoreAsync(NewServiceId());

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.WriteAsync(null!, "k", Bytes("x"), null, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.WriteAsync(GrainType, null!, Bytes("x"), null, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadAsync(null!, "k", Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ClearAsync(GrainType, null!, null, Ct));
    }

    [Fact]
    public async Task ConcurrentWriters_SameETag_ExactlyOneWinsAndItsPayloadIsStored()
    {
        var serviceId = NewServiceId();
        var clients = new List<IGrainStateStore>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            clients.Add(await CreateStoreAsync(serviceId));
        }

        string? etag = null;
        for (var round = 0; round < 6; round++)
        {
            // Round 0 races on the first write (no ETag), later rounds on the ETag of the previous winner.
            var expected = etag;
            using var start = new SemaphoreSlim(0);
            var writes = clients.Select((client, i) => Task.Run(async () =>
            {
                await start.WaitAsync(Ct);
                try
                {
                    return (Index: i, ETag: (string?)await client.WriteAsync(GrainType, "contended", Bytes($"round {round} writer {i}"), expected, Ct));
                }
                catch (InconsistentStateException)
                {
                    return (Index: i, ETag: (string?)null);
                }
            }, Ct)).ToList();
            start.Release(clients.Count);
            var results = await Task.WhenAll(writes).WaitAsync(Bound, Ct);

            var winner = Assert.Single(results, r => r.ETag is not null);
            var stored = await clients[(round + 1) % clients.Count].ReadAsync(GrainType, "contended", Ct);
            Assert.Equal($"round {round} writer {winner.Index}", Text(stored));
            Assert.Equal(winner.ETag, stored!.ETag);
            etag = winner.ETag;
        }
    }

    [Fact]
    public async Task ConcurrentWritersAndClearers_SameETag_ExactlyOneWins()
    {
        var serviceId = NewServiceId();
        var clients = new List<IGrainStateStore>();
        for (var i = 0; i < ConcurrentClients; i++)
        {
            clients.Add(await CreateStoreAsync(serviceId));
        }

        var etag = await clients[0].WriteAsync(GrainType, "mixed", Bytes("start"), null, Ct);
        using var start = new SemaphoreSlim(0);
        var attempts = clients.Select((client, i) => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            try
            {
                if (i % 2 == 0)
                {
                    await client.ClearAsync(GrainType, "mixed", etag, Ct);
                }
                else
                {
                    await client.WriteAsync(GrainType, "mixed", Bytes($"writer {i}"), etag, Ct);
                }

                return (Index: i, Won: true);
            }
            catch (InconsistentStateException)
            {
                return (Index: i, Won: false);
            }
        }, Ct)).ToList();
        start.Release(clients.Count);
        var results = await Task.WhenAll(attempts).WaitAsync(Bound, Ct);

        var winner = Assert.Single(results, r => r.Won);
        var stored = await clients[0].ReadAsync(GrainType, "mixed", Ct);
        if (winner.Index % 2 == 0)
        {
            Assert.Null(stored);
        }
        else
        {
            Assert.Equal($"writer {winner.Index}", Text(stored));
        }
    }

    [Fact]
    public async Task StoreDown_EveryCallThrowsStoreUnavailable_AndStateIsIntactAfterwards()
    {
        var (store, outage) = await CreateStoreWithOutageAsync(NewServiceId());
        Own(outage);
        var etag = await store.WriteAsync(GrainType, "vs-1", Bytes("before"), null, Ct);

        await outage.StartAsync();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ReadAsync(GrainType, "vs-1", Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync(GrainType, "vs-1", Bytes("during"), etag, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteAsync(GrainType, "vs-2", Bytes("during"), null, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ClearAsync(GrainType, "vs-1", etag, Ct));
        await outage.EndAsync();

        var read = await Retry.UnavailableAsync(() => store.ReadAsync(GrainType, "vs-1", Ct));
        Assert.Equal("before", Text(read));
        Assert.Equal(etag, read!.ETag);
        Assert.Null(await store.ReadAsync(GrainType, "vs-2", Ct));
        var next = await store.WriteAsync(GrainType, "vs-1", Bytes("after"), etag, Ct);
        Assert.Equal(next, (await store.ReadAsync(GrainType, "vs-1", Ct))!.ETag);
    }
}
