using AviOrleans.Persistence;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// What every member of the cluster needs to find and join it, whether a silo or a gateway-only process (an
/// Orleans client): the cluster's identity, its store, and the TLS that protects silo and gateway connections.
/// Checked by <see cref="AviClusterOptionsValidator"/>.
/// </summary>
public sealed class AviClusterOptions
{
    /// <summary>The default cluster id and service id.</summary>
    public const string DefaultId = "aviorleans";

    /// <summary>
    /// The cluster's id (Orleans <c>ClusterOptions.ClusterId</c>): silos with the same id and store form one
    /// cluster, and a connection between members of different clusters is refused. Default: <c>aviorleans</c>.
    /// </summary>
    public string ClusterId { get; set; } = DefaultId;

    /// <summary>
    /// The service id (Orleans <c>ClusterOptions.ServiceId</c>): grain state and reminders are keyed by it, so it
    /// must stay the same across redeployments of the cluster. Default: <c>aviorleans</c>.
    /// </summary>
    public string ServiceId { get; set; } = DefaultId;

    /// <summary>
    /// Where membership, grain state, reminders and the fencing leases live (<c>UseAviStore</c> of
    /// AviOrleans.Persistence): SQLite under a data folder (the single-host default, <c>--data-dir</c>) or
    /// PostgreSQL (clusters that span hosts, <c>--postgres</c>). A gateway-only process reads the cluster's gateways
    /// from it. Default: SQLite under <c>./data</c>.
    /// </summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>
    /// PEM certificate of this member for TLS between silos and from gateway clients (with
    /// <see cref="TlsKeyFile"/>). Required when a silo listens beyond loopback. Default: none (plain TCP).
    /// </summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="TlsCertificateFile"/>. Default: none.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>
    /// PEM file of further certificates that peers may present (one per host, or the next certificate during a
    /// rotation). A peer is accepted only when it proves the private key of this member's own certificate or of
    /// one listed here (pinned by SHA-256). Default: none (every member shares one cluster certificate).
    /// </summary>
    public string? TlsTrustedCertificatesFile { get; set; }

    /// <summary>Copies every setting to <paramref name="other"/> (an options delegate: <c>UseAviSilo(options.CopyTo, ...)</c>).</summary>
    public void CopyTo(AviClusterOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other.ClusterId = ClusterId;
        other.ServiceId = ServiceId;
        other.Store = new StoreOptions();
        Store.CopyTo(other.Store);
        other.TlsCertificateFile = TlsCertificateFile;
        other.TlsKeyFile = TlsKeyFile;
        other.TlsTrustedCertificatesFile = TlsTrustedCertificatesFile;
    }
}
