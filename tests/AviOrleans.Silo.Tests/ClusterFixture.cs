using AviOrleans.Grains;
using AviOrleans.Silo.Hosting;
using Orleans.Serialization;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace AviOrleans.Silo.Tests;

/// <summary>
/// Three silos in one process (Orleans.TestingHost's InProcessTestCluster: its own membership table and in-memory
/// transport), at the shipped fast membership profile, with the test grains and the default grain storage, shared
/// by the tests of a class. Tests that stop or kill a silo start a replacement, so each test finds three silos.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseAviMembership(MembershipProfile.Fast);
            silo.AddMemoryGrainStorageAsDefault();

            // The HA grains' interfaces are in the referenced assemblies: their domain types cross the wire as JSON.
            silo.Services.AddSerializer(s => s.AddAviSerialization());
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(s => s.AddAviSerialization()));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
