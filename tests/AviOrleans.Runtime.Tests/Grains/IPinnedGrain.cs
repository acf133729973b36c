using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

[PinnedPlacement]
public interface IPinnedGrain : IGrainWithStringKey
{
    Task<string> GetSiloNameAsync();
}
