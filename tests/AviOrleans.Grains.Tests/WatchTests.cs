using AviOrleans.Domain;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

/// <summary>The placement watch over the cluster's feed grain (each test watches its own group).</summary>
[Collection(SharedCluster.Name)]
public sealed class WatchTests(ClusterFixture fixture)
{
    private readonly GrainHaControlPlane _cp = fixture.ControlPlane;
    private readonly Build _b = new();

    private PlacementWatchFilter Pair => new(_b.N("pair"), null);

    [Fact]
    public async Task Watch_FromStart_SnapshotThenSyncedThenLiveChanges()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        await using var watch = _cp.WatchPlacementsAsync(Pair, 0, Ct).GetAsyncEnumerator(Ct);

        var first = await NextAsync(watch);
        var synced = await NextAsync(watch);
        await _cp.RequestAsync(_b.N("pair"), new VsSwitchoverRequest { VsRef = _b.N("web") }, Ct);
        var live = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Snapshot, first.Kind);
        Assert.Equal(_b.N("web"), first.View!.Placement.VsRef);
        Assert.Equal(PlacementChangeKind.Synced, synced.Kind);
        Assert.Equal(PlacementChangeKind.Updated, live.Kind);
        Assert.True(live.Sequence > synced.Sequence);
        Assert.Contains(live.Events, e => e.Type == HaEventType.VsSwitchover);
    }

    [Fact]
    public async Task Watch_ResumeAfterSequence_ReplaysOnlyLaterChanges()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        var resumePoint = await HeadAsync();
        await _cp.CreateVirtualServiceAsync(_b.Vs("api", "pair"), false, Ct);
        await using var watch = _cp.WatchPlacementsAsync(Pair, resumePoint, Ct).GetAsyncEnumerator(Ct);

        var replayed = await NextAsync(watch);
        var synced = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Updated, replayed.Kind);
        Assert.Equal(_b.N("api"), replayed.View!.Placement.VsRef);
        Assert.True(replayed.Sequence > resumePoint);
        Assert.Equal(PlacementChangeKind.Synced, synced.Kind);
    }

    [Fact]
    public async Task Watch_ResumedOnAnotherControlPlane_ContinuesWhereTheFirstStopped()
    {
        // A gateway process replaced by another: a new control plane over the same cluster.
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        long seen;
        await using (var first = _cp.WatchPlacementsAsync(Pair, 0, Ct).GetAsyncEnumerator(Ct))
        {
            await NextAsync(first);
            seen = (await NextAsync(first)).Sequence;
        }

        await _cp.CreateVirtualServiceAsync(_b.Vs("api", "pair"), false, Ct);
        var replacement = new GrainHaControlPlane(fixture.Cluster.Client);
        await using var resumed = replacement.WatchPlacementsAsync(Pair, seen, Ct).GetAsyncEnumerator(Ct);

        var missed = await NextAsync(resumed);
        Assert.Equal((PlacementChangeKind.Updated, _b.N("api")), (missed.Kind, missed.View!.Placement.VsRef));
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(resumed)).Kind);
    }

    [Fact]
    public async Task Watch_ResumePointAheadOfTheFeed_StartsWithSnapshot()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        await using var watch = _cp.WatchPlacementsAsync(Pair, await HeadAsync() + 1000, Ct).GetAsyncEnumerator(Ct);

        var first = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Snapshot, first.Kind);
    }

    [Fact]
    public async Task Watch_Filter_SkipsOtherVirtualServices()
    {
        await _b.LegacyPairAsync(_cp);
        await using var watch = _cp.WatchPlacementsAsync(new PlacementWatchFilter(null, _b.N("api")), 0, Ct).GetAsyncEnumerator(Ct);
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(watch)).Kind);

        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        await _cp.CreateVirtualServiceAsync(_b.Vs("api", "pair"), false, Ct);
        var change = await NextAsync(watch);

        Assert.Equal(_b.N("api"), change.View!.Placement.VsRef);
    }

    [Fact]
    public async Task Watch_Delete_SendsRemoved()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        await using var watch = _cp.WatchPlacementsAsync(Pair, await HeadAsync(), Ct).GetAsyncEnumerator(Ct);
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(watch)).Kind);

        await _cp.DeleteVirtualServiceAsync(_b.N("web"), Ct);
        var change = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Removed, change.Kind);
        Assert.Equal(_b.N("web"), change.View!.Placement.VsRef);
    }

    [Fact]
    public async Task Watch_VsMovedBetweenGroups_RemovedFromOneThenUpdatedInTheOther()
    {
        await _b.LegacyPairAsync(_cp);
        await _cp.CreateServiceEngineGroupAsync(_b.Group("first"), false, Ct);
        await _cp.CreateServiceEngineAsync(_b.Engine("se-x", "first"), false, Ct);
        var vs = await _cp.CreateVirtualServiceAsync(_b.Vs("web", "pair") with { Enabled = false }, false, Ct);
        await using var watch = _cp.WatchPlacementsAsync(new PlacementWatchFilter(null, _b.N("web")), await HeadAsync(), Ct).GetAsyncEnumerator(Ct);
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(watch)).Kind);

        await _cp.UpdateVirtualServiceAsync(vs, vs with { SeGroupRef = _b.N("first"), Enabled = true }, false, Ct);
        var changes = new[] { await NextAsync(watch), await NextAsync(watch) };

        Assert.Contains(changes, c => (c.Kind, c.View!.SeGroupRef) == (PlacementChangeKind.Removed, _b.N("pair")));
        var updated = Assert.Single(changes, c => c.Kind == PlacementChangeKind.Updated);
        Assert.Equal((_b.N("first"), _b.N("se-x")), (updated.View!.SeGroupRef, updated.View.Placement.PrimarySeRef));
        Assert.Equal(_b.N("first"), (await _cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).SeGroupRef);
    }

    private Task<long> HeadAsync() => fixture.Cluster.Client.GetGrain<IPlacementFeedGrain>(HaRegistry.Key).GetHeadAsync();

    private static async Task<PlacementChange> NextAsync(IAsyncEnumerator<PlacementChange> watch)
    {
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));
        return watch.Current;
    }
}
