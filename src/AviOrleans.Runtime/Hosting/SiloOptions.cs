using System.Net;
using System.Text.Json.Serialization.Metadata;

namespace AviOrleans.Runtime.Hosting;

/// <summary>A silo's configuration. Checked by <see cref="SiloOptionsValidator"/> when the silo is created.</summary>
public sealed class SiloOptions
{
    /// <summary>The silo's name; pinned grains name their silo by it. Required.</summary>
    public string SiloName { get; set; } = string.Empty;

    /// <summary>The cluster's id: silos and clients of other clusters are refused. Default: "aviorleans".</summary>
    public string ClusterId { get; set; } = "aviorleans";

    /// <summary>The shared secret every silo and client of the cluster holds (at least 16 bytes). Required.</summary>
    public byte[] ClusterKey { get; set; } = [];

    /// <summary>Where the silo listens for silos and clients (port 0 picks a free one). Default: 127.0.0.1:0.</summary>
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>The host name written to the membership table. Default: the machine name.</summary>
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>JSON contracts for the types that cross silos or are persisted (source-generated contexts).</summary>
    public IList<IJsonTypeInfoResolver> SerializerContexts { get; } = [];

    /// <summary>Services grains can reach through <see cref="IGrainActivationContext.Services"/>. Default: none.</summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>How long a caller waits for a response. Default: 30 s (as Orleans).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest frame accepted or sent. Default: 16 MiB.</summary>
    public int MaxMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a connection's authentication may take. Default: 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a call may be passed on between silos whose views disagree. Default: 3.</summary>
    public int MaxForwardCount { get; set; } = 3;

    /// <summary>Failure detection and membership.</summary>
    public ClusterMembershipOptions Membership { get; set; } = new();

    /// <summary>Activation lifetime limits.</summary>
    public GrainCollectionOptions Collection { get; set; } = new();
}
