namespace AviOrleans.Silo.Tests.Grains;

/// <summary>A test grain with persistent state: adds to a counter and says on which silo it runs.</summary>
[Alias("AviOrleans.Silo.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="delta"/>, writes the state, returns the new value.</summary>
    [Alias("Add")]
    Task<int> AddAsync(int delta);

    /// <summary>The value last written.</summary>
    [Alias("Get")]
    Task<int> GetAsync();

    /// <summary>The name of the silo the activation runs on.</summary>
    [Alias("Silo")]
    Task<string> SiloAsync();
}
