using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds and persists; returns the new value.</summary>
    Task<int> AddAsync(int delta);

    Task<int> GetAsync();

    Task<string> GetSiloNameAsync();

    /// <summary>Adds in memory only; the grain persists on deactivation.</summary>
    Task AddUnsavedAsync(int delta);

    ValueTask<int> GetActivationCountAsync();

    Task DeactivateAsync();
}
