namespace AviOrleans.Grains.Tests;

/// <summary>Two silos running the HA grains, shared by the tests of a collection (each test uses fresh names).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private HaTestCluster? _cluster;

    public HaTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public GrainHaControlPlane ControlPlane => Cluster.ControlPlane;

    public async ValueTask InitializeAsync() => _cluster = await HaTestCluster.StartAsync(silos: 2);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "HA grains cluster";
}
