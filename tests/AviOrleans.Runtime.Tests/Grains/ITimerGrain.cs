using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartAsync(int periodMs);

    /// <summary>A call that spans several timer periods across an await.</summary>
    Task SlowCallAsync(int milliseconds);

    Task<TimerStats> GetStatsAsync();
}
