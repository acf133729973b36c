using AviOrleans.Persistence;
using Orleans.Placement;
using Orleans.Runtime;

namespace AviOrleans.Bench.Cluster;

[Alias("AviOrleans.Bench.Cluster.IPingGrain")]
public interface IPingGrain : IGrainWithStringKey
{
    [Alias("Ping")]
    ValueTask PingAsync();

    [Alias("Echo")]
    Task<int> EchoAsync(int value);
}

/// <summary>Placed on the silo whose grain factory first calls it, so that a caller on another silo always crosses the network.</summary>
[PreferLocalPlacement]
public sealed class PingGrain : Grain, IPingGrain
{
    public ValueTask PingAsync() => ValueTask.CompletedTask;

    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}

[GenerateSerializer]
[Alias("AviOrleans.Bench.Cluster.ServiceEngineLikeState")]
public sealed record ServiceEngineLikeState
{
    [Id(0)]
    public string Name { get; init; } = string.Empty;

    [Id(1)]
    public int Epoch { get; init; }

    [Id(2)]
    public List<string> Vips { get; init; } = [];
}

[Alias("AviOrleans.Bench.Cluster.IStatefulGrain")]
public interface IStatefulGrain : IGrainWithStringKey
{
    [Alias("Touch")]
    ValueTask TouchAsync();
}

/// <summary>
/// An idle activation with state the size of an SE's (a name, an epoch, two VIPs), read from the store's grain storage
/// at activation and kept in memory; nothing is written, so the storage holds nothing and the figure is the activation's.
/// </summary>
[PreferLocalPlacement]
public sealed class StatefulGrain([PersistentState("se", StoreOptions.DefaultGrainStorageName)] IPersistentState<ServiceEngineLikeState> state) : Grain, IStatefulGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        state.State = new ServiceEngineLikeState { Name = key, Epoch = 1, Vips = ["192.0.2.10", "2001:db8::10"] };
        return Task.CompletedTask;
    }

    public ValueTask TouchAsync() => ValueTask.CompletedTask;
}

[Alias("AviOrleans.Bench.Cluster.IEmptyGrain")]
public interface IEmptyGrain : IGrainWithStringKey
{
    [Alias("Touch")]
    ValueTask TouchAsync();
}

/// <summary>A stateless activation, the home-made runtime's memory figure's counterpart.</summary>
[PreferLocalPlacement]
public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public ValueTask TouchAsync() => ValueTask.CompletedTask;
}
