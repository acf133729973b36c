namespace AviOrleans.Runtime;

/// <summary>A timer of a grain activation. Its callbacks run as turns of the activation; it dies with the activation.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes when the timer next fires and its period (<see cref="Timeout.InfiniteTimeSpan"/> = one shot or paused).</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
