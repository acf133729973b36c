using AviOrleans.Runtime;

namespace AviOrleans.Bench.Runtime;

public interface IPingGrain : IGrainWithStringKey
{
    ValueTask PingAsync();

    Task<int> EchoAsync(int value);
}
