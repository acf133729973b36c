namespace AviOrleans.Runtime;

/// <summary>How a grain timer fires.</summary>
public sealed record GrainTimerCreationOptions
{
    /// <summary>Delay before the first tick. Zero fires at once; <see cref="Timeout.InfiniteTimeSpan"/> leaves the timer paused.</summary>
    public required TimeSpan DueTime { get; init; }

    /// <summary>
    /// Delay between the end of one callback and the next tick (ticks never overlap);
    /// <see cref="Timeout.InfiniteTimeSpan"/> fires once.
    /// </summary>
    public required TimeSpan Period { get; init; }

    /// <summary>Whether the callback may interleave with calls at their awaits. Default: false.</summary>
    public bool Interleave { get; init; }

    /// <summary>Whether a tick counts as activity and so keeps the activation from idle collection. Default: false.</summary>
    public bool KeepAlive { get; init; }
}
