using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class PinnedGrain : Grain, IPinnedGrain
{
    public Task<string> GetSiloNameAsync() => Task.FromResult(Context.SiloName);
}
