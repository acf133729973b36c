using AviOrleans.Runtime;

namespace AviOrleans.Bench.Runtime;

public sealed class PingGrain : Grain, IPingGrain
{
    public ValueTask PingAsync() => ValueTask.CompletedTask;

    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}
