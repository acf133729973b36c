using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public interface ITurnGrain : IGrainWithStringKey
{
    /// <summary>Enters a turn that awaits once; returns the activation's id and this turn's sequence number.</summary>
    Task<TurnRecord> EnterAsync();

    /// <summary>The most turns ever seen running at once.</summary>
    Task<int> GetMaxConcurrencyAsync();
}
