using System.Runtime.CompilerServices;

namespace AviOrleans.Grains;

/// <summary>The placement watch: snapshot or replay, then live changes from the change log.</summary>
public sealed partial class InMemoryHaControlPlane
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<PlacementChange> WatchPlacementsAsync(
        PlacementWatchFilter filter,
        long resumeAfterSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cursor = resumeAfterSequence;
        var snapshot = resumeAfterSequence <= 0 || !_log.TryReadAfter(resumeAfterSequence, out _, out _);
        var synced = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (snapshot)
            {
                // The state and the log head are published together under the gate; taking both
                // under it gives a snapshot that the log continues exactly.
                ControlPlaneStateAndHead taken;
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    taken = new(State, _log.Head);
                }
                finally
                {
                    _gate.Release();
                }

                cursor = taken.Head;
                foreach (var view in taken.State.Views(null).Where(filter.Matches))
                {
                    yield return new PlacementChange(cursor, PlacementChangeKind.Snapshot, view, default, view.LastChangedAt);
                }

                yield return new PlacementChange(cursor, PlacementChangeKind.Synced, null, default, _time.GetUtcNow());
                snapshot = false;
                synced = true;
            }

            if (!_log.TryReadAfter(cursor, out var items, out var next))
            {
                // This watcher fell further behind than the log holds: start again from a snapshot.
                snapshot = true;
                continue;
            }

            foreach (var (sequence, change) in items)
            {
                cursor = sequence;
                if (change.View is { } view && filter.Matches(view))
                {
                    yield return change;
                }
            }

            if (!synced)
            {
                yield return new PlacementChange(cursor, PlacementChangeKind.Synced, null, default, _time.GetUtcNow());
                synced = true;
            }

            if (items.Count == 0)
            {
                await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private readonly record struct ControlPlaneStateAndHead(Internal.ControlPlaneState State, long Head);
}
