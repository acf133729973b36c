using AviOrleans.Domain;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_FromStart_SnapshotThenSyncedThenLiveChanges()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        await using var watch = cp.WatchPlacementsAsync(PlacementWatchFilter.All, 0, Ct).GetAsyncEnumerator(Ct);

        var first = await NextAsync(watch);
        var synced = await NextAsync(watch);
        await cp.RequestAsync("pair", new VsSwitchoverRequest { VsRef = "web" }, Ct);
        var live = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Snapshot, first.Kind);
        Assert.Equal("web", first.View!.Placement.VsRef);
        Assert.Equal(PlacementChangeKind.Synced, synced.Kind);
        Assert.Equal(PlacementChangeKind.Updated, live.Kind);
        Assert.Equal(synced.Sequence + 1, live.Sequence);
        Assert.Contains(live.Events, e => e.Type == HaEventType.VsSwitchover);
    }

    [Fact]
    public async Task Watch_ResumeAfterSequence_ReplaysOnlyLaterChanges()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var resumePoint = cp.Sequence;
        await cp.CreateVirtualServiceAsync(Vs("api", "pair", "192.0.2.11"), false, Ct);
        await using var watch = cp.WatchPlacementsAsync(PlacementWatchFilter.All, resumePoint, Ct).GetAsyncEnumerator(Ct);

        var replayed = await NextAsync(watch);
        var synced = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Updated, replayed.Kind);
        Assert.Equal("api", replayed.View!.Placement.VsRef);
        Assert.True(replayed.Sequence > resumePoint);
        Assert.Equal(PlacementChangeKind.Synced, synced.Kind);
    }

    [Fact]
    public async Task Watch_ResumePointFromAnotherProcess_StartsWithSnapshot()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        await using var watch = cp.WatchPlacementsAsync(PlacementWatchFilter.All, cp.Sequence + 1000, Ct).GetAsyncEnumerator(Ct);

        var first = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Snapshot, first.Kind);
    }

    [Fact]
    public async Task Watch_Filter_SkipsOtherVirtualServices()
    {
        await using var cp = await LegacyPairAsync();
        await using var watch = cp.WatchPlacementsAsync(new PlacementWatchFilter(null, "api"), 0, Ct).GetAsyncEnumerator(Ct);
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(watch)).Kind);

        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        await cp.CreateVirtualServiceAsync(Vs("api", "pair", "192.0.2.11"), false, Ct);
        var change = await NextAsync(watch);

        Assert.Equal("api", change.View!.Placement.VsRef);
    }

    [Fact]
    public async Task Watch_Delete_SendsRemoved()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        await using var watch = cp.WatchPlacementsAsync(PlacementWatchFilter.All, cp.Sequence, Ct).GetAsyncEnumerator(Ct);
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(watch)).Kind);

        await cp.DeleteVirtualServiceAsync("web", Ct);
        var change = await NextAsync(watch);

        Assert.Equal(PlacementChangeKind.Removed, change.Kind);
        Assert.Equal("web", change.View!.Placement.VsRef);
    }

    [Fact]
    public async Task Watch_VsMovedBetweenGroups_RemovedFromOneThenUpdatedInTheOther()
    {
        await using var cp = await LegacyPairAsync();
        await cp.CreateServiceEngineGroupAsync(Group("aaa-first"), false, Ct);
        await cp.CreateServiceEngineAsync(Engine("se-x", "aaa-first"), false, Ct);
        var vs = await cp.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10") with { Enabled = false }, false, Ct);
        await using var watch = cp.WatchPlacementsAsync(PlacementWatchFilter.All, cp.Sequence, Ct).GetAsyncEnumerator(Ct);
        Assert.Equal(PlacementChangeKind.Synced, (await NextAsync(watch)).Kind);

        await cp.UpdateVirtualServiceAsync(vs, vs with { SeGroupRef = "aaa-first", Enabled = true }, false, Ct);
        var removed = await NextAsync(watch);
        var updated = await NextAsync(watch);

        Assert.Equal((PlacementChangeKind.Removed, "pair"), (removed.Kind, removed.View!.SeGroupRef));
        Assert.Equal((PlacementChangeKind.Updated, "aaa-first"), (updated.Kind, updated.View!.SeGroupRef));
        Assert.Equal("se-x", updated.View.Placement.PrimarySeRef);
        Assert.Equal("aaa-first", (await cp.GetVirtualServicePlacementAsync("web", Ct)).SeGroupRef);
    }

    [Fact]
    public async Task Watch_ResumePointOfAnEarlierProcess_StartsWithSnapshot()
    {
        var time = new FakeTimeProvider(Start);
        await using var earlier = await LegacyPairAsync(time);
        await earlier.CreateVirtualServiceAsync(Vs("web", "pair", "192.0.2.10"), false, Ct);
        var oldResumePoint = earlier.Sequence;
        time.Advance(TimeSpan.FromMinutes(1));
        await using var restarted = await LegacyPairAsync(time);
        for (var i = 0; i < 5; i++)
        {
            await restarted.CreateVirtualServiceAsync(Vs("vs-" + i, "pair", "192.0.2." + (20 + i)), false, Ct);
        }

        await using var watch = restarted.WatchPlacementsAsync(PlacementWatchFilter.All, oldResumePoint, Ct).GetAsyncEnumerator(Ct);
        var first = await NextAsync(watch);

        Assert.True(restarted.Sequence > oldResumePoint);
        Assert.Equal(PlacementChangeKind.Snapshot, first.Kind);
    }

    private static async Task<PlacementChange> NextAsync(IAsyncEnumerator<PlacementChange> watch)
    {
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));
        return watch.Current;
    }
}
