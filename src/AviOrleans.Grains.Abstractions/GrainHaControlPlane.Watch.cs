using System.Runtime.CompilerServices;
using Orleans.Runtime;

namespace AviOrleans.Grains;

/// <summary>
/// The placement watch, by long polls of the cluster's placement feed: a snapshot read after the
/// feed's head (so the log continues it exactly, at worst repeating a state), a Synced marker, then
/// the changes after it. The position lives in the client (the sequence), not in this process: a
/// watch resumed on another gateway after this one was replaced continues where it was, or
/// starts again from a snapshot when the feed no longer holds that position. Long polls rather than
/// Orleans observers or streams: nothing to re-subscribe when a gateway, a client or the feed's
/// silo goes away, no stream provider to configure on both sides, and resuming by sequence is the
/// same call as reading.
/// </summary>
public sealed partial class GrainHaControlPlane
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<PlacementChange> WatchPlacementsAsync(
        PlacementWatchFilter filter,
        long resumeAfterSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var feed = _grains.GetGrain<IPlacementFeedGrain>(HaRegistry.Key);
        var cursor = resumeAfterSequence;
        var snapshot = resumeAfterSequence <= 0;
        var synced = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (snapshot)
            {
                cursor = await feed.GetHeadAsync().WaitAsync(cancellationToken);
                var views = await SnapshotAsync(filter, cancellationToken);
                foreach (var view in views)
                {
                    yield return new PlacementChange(cursor, PlacementChangeKind.Snapshot, view, default, view.LastChangedAt);
                }

                yield return new PlacementChange(cursor, PlacementChangeKind.Synced, null, default, _time.GetUtcNow());
                snapshot = false;
                synced = true;
            }

            var page = await ReadAsync(feed, cursor, filter, synced ? WatchPollWait : TimeSpan.Zero, cancellationToken);
            if (page is null)
            {
                continue;
            }

            if (page.Lost)
            {
                snapshot = true;
                continue;
            }

            foreach (var change in page.Changes)
            {
                yield return change;
            }

            cursor = page.Cursor;
            if (!synced)
            {
                yield return new PlacementChange(cursor, PlacementChangeKind.Synced, null, default, _time.GetUtcNow());
                synced = true;
            }
        }
    }

    private async Task<IReadOnlyList<PlacementView>> SnapshotAsync(PlacementWatchFilter filter, CancellationToken cancellationToken)
    {
        try
        {
            var views = filter.VirtualServiceRef is { } vs
                ? [await GetVirtualServicePlacementAsync(vs, cancellationToken)]
                : await ListVirtualServicePlacementsAsync(filter.SeGroupRef, cancellationToken);
            return [.. views.Where(filter.Matches)];
        }
        catch (HaObjectNotFoundException)
        {
            // The watched object does not exist (yet): nothing to show; its creation will be a change.
            return [];
        }
    }

    // One long poll; null when it failed for a reason that passes (the feed's silo went away): try again.
    private async Task<PlacementFeedPage?> ReadAsync(IPlacementFeedGrain feed, long cursor, PlacementWatchFilter filter, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return await feed.ReadAsync(cursor, filter, wait).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
            return null;
        }
    }
}
