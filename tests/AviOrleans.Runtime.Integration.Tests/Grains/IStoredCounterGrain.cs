using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Integration.Tests.Grains;

/// <summary>A counter whose value lives in the store under <c>storedcounter.counter</c>.</summary>
public interface IStoredCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds and persists; returns the new value.</summary>
    Task<int> AddAsync(int delta);

    /// <summary>Adds in memory only; the grain persists when it deactivates.</summary>
    Task AddUnsavedAsync(int delta);

    Task<int> GetAsync();

    Task<string> GetSiloNameAsync();
}
