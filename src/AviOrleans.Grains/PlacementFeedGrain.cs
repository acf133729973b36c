using System.Collections.Immutable;
using AviOrleans.Grains.Internal;
using Orleans.Concurrency;

namespace AviOrleans.Grains;

/// <summary>
/// The cluster's placement-change log (see <see cref="IPlacementFeedGrain"/>). The log itself lives
/// in memory; what is persisted is a reserved block of sequence numbers, so that sequences keep
/// growing across reactivations without a write per change, and a resume point from before a
/// reactivation is told it is lost (and gets a snapshot) instead of being misread.
/// </summary>
[Reentrant]
internal sealed class PlacementFeedGrain(
    [PersistentState("feed", HaRegistry.StorageName)] IPersistentState<PlacementFeedState> state) : Grain, IPlacementFeedGrain
{
    /// <summary>How many changes a watcher can resume across.</summary>
    internal const int Capacity = 8192;

    private const long Block = 1_000_000_000;

    private readonly Queue<PlacementChange> _log = new();
    private long _head;
    private long _start;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _head = state.State.Reserved;
        _start = _head;
        state.State.Reserved = _head + Block;
        await state.SaveAsync("the placement feed", cancellationToken);
    }

    public async Task<long> AppendAsync(ImmutableArray<PlacementChange> changes)
    {
        if (changes.IsDefaultOrEmpty)
        {
            return _head;
        }

        if (_head + changes.Length >= state.State.Reserved)
        {
            state.State.Reserved = _head + changes.Length + Block;
            await state.SaveAsync("the placement feed");
        }

        foreach (var change in changes)
        {
            _head++;
            _log.Enqueue(change with { Sequence = _head });
            if (_log.Count > Capacity)
            {
                _log.Dequeue();
            }
        }

        var appended = _appended;
        _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        appended.TrySetResult();
        return _head;
    }

    public Task<long> GetHeadAsync() => Task.FromResult(_head);

    public async Task<PlacementFeedPage> ReadAsync(long after, PlacementWatchFilter filter, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (after < OldestResumable || after > _head)
        {
            return new PlacementFeedPage([], _head, Lost: true);
        }

        if (after == _head && wait > TimeSpan.Zero)
        {
            // Long poll: answered at the next append, or empty when the wait is over.
            await Task.WhenAny(_appended.Task, Task.Delay(wait));
            if (after < OldestResumable)
            {
                return new PlacementFeedPage([], _head, Lost: true);
            }
        }

        var matching = _log.Where(c => c.Sequence > after && c.View is { } view && filter.Matches(view)).ToImmutableArray();
        return new PlacementFeedPage(matching, _head, Lost: false);
    }

    // The oldest sequence one can read after: the log's first entry minus one, or the start.
    private long OldestResumable => _log.Count == 0 ? _start : _log.Peek().Sequence - 1;
}

/// <summary>What the feed persists: the end of the block of sequences it may hand out.</summary>
[GenerateSerializer, Alias("avi.PlacementFeedState")]
internal sealed class PlacementFeedState
{
    [Id(0)]
    public long Reserved { get; set; }
}
