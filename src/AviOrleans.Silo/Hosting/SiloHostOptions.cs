namespace AviOrleans.Silo.Hosting;

/// <summary>
/// One silo of the cluster: its name, where it listens and what it advertises, and how fast failures are
/// detected. Checked by <see cref="SiloHostOptionsValidator"/>.
/// </summary>
public sealed class SiloHostOptions
{
    /// <summary>The default silo-to-silo port (Orleans' customary one).</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The default port of the Orleans gateway that gateway-only processes connect to.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>
    /// The silo's name: the name of the service engine on whose host it runs (the SE grain is placed on the
    /// silo of its SE's name). Default: the host name.
    /// </summary>
    public string SiloName { get; set; } = Environment.MachineName;

    /// <summary>The address the silo listens on (0.0.0.0 or :: for every address). Default: 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address other silos and clients use to reach this one, written into the membership table. Default:
    /// <see cref="ListenAddress"/>; required when that is a wildcard.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The silo-to-silo port; 0 picks a free one at start. Default: <see cref="DefaultSiloPort"/>.</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>
    /// The Orleans gateway port for gateway-only processes; 0 picks a free one at start. Default:
    /// <see cref="DefaultGatewayPort"/>.
    /// </summary>
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>The failure-detection settings. Default: <see cref="MembershipProfile.Fast"/>.</summary>
    public MembershipProfile Membership { get; set; } = MembershipProfile.Fast;

    /// <summary>Copies every setting to <paramref name="other"/> (an options delegate: <c>UseAviSilo(..., options.CopyTo)</c>).</summary>
    public void CopyTo(SiloHostOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other.SiloName = SiloName;
        other.ListenAddress = ListenAddress;
        other.AdvertisedAddress = AdvertisedAddress;
        other.SiloPort = SiloPort;
        other.GatewayPort = GatewayPort;
        other.Membership = Membership;
    }
}
