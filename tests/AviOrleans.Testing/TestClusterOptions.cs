using System.Security.Cryptography;
using System.Text.Json.Serialization.Metadata;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Testing;

/// <summary>How a <see cref="TestCluster"/> is built.</summary>
public sealed class TestClusterOptions
{
    /// <summary>How many silos start with the cluster. Default: 2 (as Orleans' TestCluster).</summary>
    public int InitialSilosCount { get; set; } = 2;

    /// <summary>The cluster id. Default: a fresh random one, so parallel clusters never meet.</summary>
    public string ClusterId { get; set; } = "test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    /// <summary>The cluster key. Default: 32 fresh random bytes.</summary>
    public byte[] ClusterKey { get; set; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The grain classes every silo can activate. Required.</summary>
    public GrainRegistrations Grains { get; set; } = new();

    /// <summary>JSON contracts for the application's types.</summary>
    public IList<IJsonTypeInfoResolver> SerializerContexts { get; } = [];

    /// <summary>Adjusts each silo's options (membership timings, response timeout, ...).</summary>
    public Action<SiloOptions>? ConfigureSilo { get; set; }

    /// <summary>The membership table. Default: a new <see cref="InMemoryMembershipTable"/>.</summary>
    public IMembershipTable? MembershipTable { get; set; }

    /// <summary>The grain state store. Default: a new <see cref="InMemoryGrainStateStore"/>.</summary>
    public IGrainStateStore? StateStore { get; set; }

    /// <summary>The clock of every silo and the client. Default: the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Logging for the silos. Default: none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The client's response timeout. Default: 30 s.</summary>
    public TimeSpan ClientResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
