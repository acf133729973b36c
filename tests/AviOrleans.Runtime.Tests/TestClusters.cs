using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Tests.Grains;
using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

internal static class TestClusters
{
    /// <summary>A bound for waits: generous, because the box is a loaded 2-core machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TestClusterOptions Options(int silos, Action<SiloOptions>? configure = null)
    {
        var options = new TestClusterOptions
        {
            InitialSilosCount = silos,
            Grains = TestGrains.Create(),
            ConfigureSilo = configure,
        };
        options.SerializerContexts.Add(TestJsonContext.Default);
        return options;
    }

    public static Task<TestCluster> StartAsync(int silos, Action<SiloOptions>? configure = null) =>
        TestCluster.StartAsync(Options(silos, configure), TestContext.Current.CancellationToken);
}
