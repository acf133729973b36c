using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

/// <summary>One shared 3-silo cluster for the tests that do not kill or stop silos; each test uses fresh keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await TestCluster.StartAsync(TestClusters.Options(3));

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
