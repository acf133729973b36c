using AviOrleans.Persistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Persistence.Tests.Contract;

/// <summary>
/// What a grain's <c>IPersistentState</c> expects of its storage provider, run against the provider a real silo
/// registers under the name the HA grains use (<c>ha</c>): reads of state never written, round trips with an ETag
/// that changes on every write, stale ETags refused with Orleans' <see cref="InconsistentStateException"/> and
/// nothing changed, concurrent activations of which exactly one write wins, clears, and grain ids of every key shape.
/// </summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    private TestSilo? _silo;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected IGrainStorage Storage { get; private set; } = null!;

    /// <summary>Adds the storage under test, named <c>ha</c>, to a silo that uses localhost clustering.</summary>
    protected abstract void AddStorage(ISiloBuilder silo);

    public async ValueTask InitializeAsync()
    {
        var clusterId = "g-" + Guid.NewGuid().ToString("N");
        _silo = await TestSilo.StartAsync(clusterId, "storage", silo =>
        {
            silo.UseLocalhostClustering(FreePorts.Next(), FreePorts.Next(), serviceId: clusterId, clusterId: clusterId);
            AddStorage(silo);
        });
        Storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>("ha");
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static GrainId NewGrain() => GrainId.Create("ha-test", Guid.NewGuid().ToString("N"));

    private async Task<GrainState<TestState>> ReadAsync(GrainId grain, string stateName = "state")
    {
        var state = new GrainState<TestState>();
        await Storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    private async Task<GrainState<TestState>> WriteNewAsync(GrainId grain, int counter, string stateName = "state")
    {
        var state = await ReadAsync(grain, stateName);
        state.State = TestState.Of(counter);
        await Storage.WriteStateAsync(stateName, grain, state);
        return state;
    }

    [Fact]
    public async Task Read_NeverWritten_NoRecordNoETagAndANewState()
    {
        var state = await ReadAsync(NewGrain());

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal(0, state.State.Counter);
    }

    [Fact]
    public async Task Write_ThenRead_RoundTripsTheStateAndTheETag()
    {
        var grain = NewGrain();

        var written = await WriteNewAsync(grain, 7);
        var read = await ReadAsync(grain);

        Assert.True(written.RecordExists);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(TestState.Of(7).SameAs(read.State));
    }

    [Fact]
    public async Task Write_EveryWrite_GetsANewETag()
    {
        var grain = NewGrain();
        var state = await WriteNewAsync(grain, 1);
        var etags = new List<string?> { state.ETag };

        for (var i = 2; i <= 5; i++)
        {
            state.State = TestState.Of(i);
            await Storage.WriteStateAsync("state", grain, state);
            etags.Add(state.ETag);
        }

        Assert.Equal(etags.Count, etags.Distinct().Count());
        Assert.Equal(state.ETag, (await ReadAsync(grain)).ETag);
        Assert.True(TestState.Of(5).SameAs((await ReadAsync(grain)).State));
    }

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentStateAndKeepsTheNewerState()
    {
        var grain = NewGrain();
        var stale = await WriteNewAsync(grain, 1);
        var current = await ReadAsync(grain);
        current.State = TestState.Of(2);
        await Storage.WriteStateAsync("state", grain, current);

        stale.State = TestState.Of(3);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, stale));

        var read = await ReadAsync(grain);
        Assert.True(TestState.Of(2).SameAs(read.State));
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_NoETagWhileARecordExists_ThrowsInconsistentState()
    {
        var grain = NewGrain();
        var second = await ReadAsync(grain);
        await WriteNewAsync(grain, 1);

        // A second activation that read before the first one wrote, then writes its first write.
        second.State = TestState.Of(2);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", grain, second));

        Assert.True(TestState.Of(1).SameAs((await ReadAsync(grain)).State));
    }

    [Fact]
    public async Task ConcurrentActivations_WritingWithTheSameETag_ExactlyOneWins()
    {
        var grain = NewGrain();
        var baseline = await WriteNewAsync(grain, 0);
        var writers = Enumerable.Range(1, 8).Select(i => new GrainState<TestState>
        {
            State = TestState.Of(i),
            ETag = baseline.ETag,
            RecordExists = true,
        }).ToList();

        using var start = new SemaphoreSlim(0);
        var attempts = writers.Select(state => Task.Run(async () =>
        {
            await start.WaitAsync(Ct);
            try
            {
                await Storage.WriteStateAsync("state", grain, state);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }, Ct)).ToList();
        start.Release(writers.Count);
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var winner = writers[Array.IndexOf(results, true)];
        Assert.Single(results, r => r);
        var read = await ReadAsync(grain);
        Assert.True(winner.State!.SameAs(read.State));
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_ThenRead_NoRecordAndANewState_AndTheGrainCanWriteAgain()
    {
        var grain = NewGrain();
        var state = await WriteNewAsync(grain, 4);

        await Storage.ClearStateAsync("state", grain, state);
        var cleared = await ReadAsync(grain);
        state.State = TestState.Of(5);
        await Storage.WriteStateAsync("state", grain, state);

        Assert.False(cleared.RecordExists);
        Assert.Equal(0, cleared.State!.Counter);
        Assert.True(TestState.Of(5).SameAs((await ReadAsync(grain)).State));
    }

    [Fact]
    public async Task Clear_StaleETag_ThrowsInconsistentStateAndKeepsTheState()
    {
        var grain = NewGrain();
        var stale = await WriteNewAsync(grain, 1);
        var current = await ReadAsync(grain);
        current.State = TestState.Of(2);
        await Storage.WriteStateAsync("state", grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", grain, stale));

        Assert.True(TestState.Of(2).SameAs((await ReadAsync(grain)).State));
    }

    [Fact]
    public async Task GrainIds_OfEveryKeyShapeTypeAndStateName_AreSeparateRecords()
    {
        var guid = Guid.NewGuid();
        var number = Random.Shared.NextInt64();
        var grains = new[]
        {
            GrainId.Create("ha-test", "se-1"),
            GrainId.Create("ha-other", "se-1"),
            GrainId.Create(GrainType.Create("ha-test"), GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(GrainType.Create("ha-test"), GrainIdKeyExtensions.CreateGuidKey(guid, "ext")),
            GrainId.Create(GrainType.Create("ha-test"), GrainIdKeyExtensions.CreateIntegerKey(number)),
            GrainId.Create(GrainType.Create("ha-test"), GrainIdKeyExtensions.CreateIntegerKey(number, "ext")),
            GrainId.Create(GrainType.Create("ha-test"), GrainIdKeyExtensions.CreateIntegerKey(0)),
            GrainId.Create("ha-test", guid.ToString("D")),
        };
        var suffix = Guid.NewGuid().ToString("N");

        for (var i = 0; i < grains.Length; i++)
        {
            await WriteNewAsync(grains[i], i + 1, "a-" + suffix);
            await WriteNewAsync(grains[i], 100 + i, "b-" + suffix);
        }

        for (var i = 0; i < grains.Length; i++)
        {
            Assert.Equal(i + 1, (await ReadAsync(grains[i], "a-" + suffix)).State!.Counter);
            Assert.Equal(100 + i, (await ReadAsync(grains[i], "b-" + suffix)).State!.Counter);
        }
    }
}
