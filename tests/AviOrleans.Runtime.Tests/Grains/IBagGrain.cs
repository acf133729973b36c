using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public interface IBagGrain : IGrainWithStringKey
{
    /// <summary>Keeps the list it was given (as a careless grain would) and returns it.</summary>
    Task<List<string>> KeepAsync(List<string> items);

    Task<int> CountAsync();
}
