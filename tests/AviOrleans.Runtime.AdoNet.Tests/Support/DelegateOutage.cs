namespace AviOrleans.Runtime.AdoNet.Tests.Support;

/// <summary>An outage made of two actions, and an optional clean-up.</summary>
public sealed class DelegateOutage(Func<Task> start, Func<Task> end, Func<ValueTask>? dispose = null) : IStoreOutage
{
    public Task StartAsync() => start();

    public Task EndAsync() => end();

    public ValueTask DisposeAsync() => dispose?.Invoke() ?? ValueTask.CompletedTask;
}
