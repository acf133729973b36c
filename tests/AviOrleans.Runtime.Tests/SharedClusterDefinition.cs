namespace AviOrleans.Runtime.Tests;

[CollectionDefinition(Name)]
public sealed class SharedClusterDefinition : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Shared cluster";
}
