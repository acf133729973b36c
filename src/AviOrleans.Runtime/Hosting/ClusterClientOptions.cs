using System.Net;
using System.Text.Json.Serialization.Metadata;

namespace AviOrleans.Runtime.Hosting;

/// <summary>A client's configuration.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>The cluster's id. Default: "aviorleans".</summary>
    public string ClusterId { get; set; } = "aviorleans";

    /// <summary>The cluster key (the same bytes the silos hold). Required.</summary>
    public byte[] ClusterKey { get; set; } = [];

    /// <summary>Silo endpoints to use as gateways, tried in order. Required.</summary>
    public IList<IPEndPoint> Gateways { get; } = [];

    /// <summary>JSON contracts for the types that cross to the cluster.</summary>
    public IList<IJsonTypeInfoResolver> SerializerContexts { get; } = [];

    /// <summary>How long a call waits for its response. Default: 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting and authenticating may take. Default: 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest frame accepted or sent. Default: 16 MiB.</summary>
    public int MaxMessageSize { get; set; } = 16 * 1024 * 1024;
}
