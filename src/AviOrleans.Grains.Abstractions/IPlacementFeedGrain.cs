using System.Collections.Immutable;
using Orleans.Concurrency;

namespace AviOrleans.Grains;

/// <summary>
/// The cluster's ordered log of placement changes (key: <see cref="HaRegistry.Key"/>), for watches
/// that resume: groups append after each commit, watchers read after the sequence they saw last,
/// waiting (long poll) when there is nothing new. Bounded: a watcher that fell further behind than
/// the log holds, or whose sequence is from before the log's last restart, is told so and starts
/// again from a snapshot. Sequences only grow, across restarts too.
/// </summary>
[Alias("avi.IPlacementFeedGrain")]
public interface IPlacementFeedGrain : IGrainWithStringKey
{
    /// <summary>Appends changes in order (their sequence is assigned here); returns the new head.</summary>
    [Alias("Append")]
    Task<long> AppendAsync(ImmutableArray<PlacementChange> changes);

    /// <summary>The sequence of the last change.</summary>
    [Alias("GetHead")]
    Task<long> GetHeadAsync();

    /// <summary>
    /// The changes after <paramref name="after"/> that pass <paramref name="filter"/>, waiting up to
    /// <paramref name="wait"/> for one to arrive.
    /// </summary>
    [Alias("Read"), AlwaysInterleave]
    Task<PlacementFeedPage> ReadAsync(long after, PlacementWatchFilter filter, TimeSpan wait);
}
