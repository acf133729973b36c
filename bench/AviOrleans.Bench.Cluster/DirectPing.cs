namespace AviOrleans.Bench.Cluster;

/// <summary>The baseline: the same method called directly through an interface, no runtime in between.</summary>
public sealed class DirectPing : IDirectPing
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}

public interface IDirectPing
{
    Task<int> EchoAsync(int value);
}
