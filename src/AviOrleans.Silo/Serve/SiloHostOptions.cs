namespace AviOrleans.Silo.Serve;

/// <summary>
/// The runtime silo that <c>serve</c> starts: one member of a cluster whose membership table and grain
/// state live in a SQLite file under <see cref="DataDirectory"/> (the embedded single-host default).
/// </summary>
internal sealed class SiloHostOptions
{
    /// <summary>The default silo port on loopback (Orleans' customary silo port).</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The folder of the SQLite database (and of the generated cluster key). Default: <c>data</c>.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>The silo's name. Default: the host name.</summary>
    public string SiloName { get; init; } = Environment.MachineName;

    /// <summary>The cluster's id (membership table rows and handshakes). Default: <c>default</c>.</summary>
    public string ClusterId { get; init; } = "default";

    /// <summary>The address the silo listens on for silos and clients. Default: 127.0.0.1.</summary>
    public string SiloAddress { get; init; } = "127.0.0.1";

    /// <summary>The silo port; 0 picks a free one. Default: <see cref="DefaultSiloPort"/>.</summary>
    public int SiloPort { get; init; } = DefaultSiloPort;

    /// <summary>
    /// The file holding the cluster key (base64, at least 16 bytes). When absent on loopback a random key is
    /// generated once into the data folder; required when the silo listens beyond loopback.
    /// </summary>
    public string? ClusterKeyFile { get; init; }
}
