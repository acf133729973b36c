using AviOrleans.Domain;
using AviOrleans.Gateway;
using AviOrleans.Silo.Hosting;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Silo.Run;

/// <summary>What <c>aviorleans-silo</c> (the silo, the default command) and <c>aviorleans-silo gateway</c> were asked to run.</summary>
internal sealed class SiloRunOptions
{
    /// <summary>The cluster to join (or, for a gateway-only process, to connect to).</summary>
    public AviClusterOptions Cluster { get; init; } = new();

    /// <summary>The silo; unused by a gateway-only process.</summary>
    public SiloHostOptions Silo { get; init; } = new();

    /// <summary>The avi.v1 gateway to co-host; null runs none (a silo only).</summary>
    public GatewayOptions? Gateway { get; init; } = new();

    /// <summary>
    /// The host interface this SE's VIPs are added to by the data plane; null: none (the silo decides, owns nothing).
    /// </summary>
    public string? VipInterface { get; init; }

    /// <summary>The version this SE reports to a rolling upgrade; null: the build's (<c>AviGrainsOptions.ServiceEngineVersion</c>).</summary>
    public string? SeVersion { get; init; }

    /// <summary>Avi's <c>unresponsive_se_reboot</c> in seconds (<c>--unresponsive-se-reboot</c>); null: the configuration file's, else 300.</summary>
    public int? UnresponsiveSeReboot { get; init; }

    /// <summary>Avi's <c>del_offline_se_after_reboot_delay</c> in seconds (<c>--del-offline-se-after-reboot-delay</c>); null: the configuration file's, else 300.</summary>
    public int? DelOfflineSeAfterRebootDelay { get; init; }

    /// <summary>
    /// The controller timers the group grains use: the options given, else <paramref name="file"/>'s (the configuration
    /// file's <c>controllerproperties</c>), else Avi's defaults.
    /// </summary>
    public ControllerProperties ControllerProperties(ControllerProperties? file)
    {
        var properties = file ?? new ControllerProperties();
        return properties with
        {
            UnresponsiveSeReboot = UnresponsiveSeReboot ?? properties.UnresponsiveSeReboot,
            DelOfflineSeAfterRebootDelay = DelOfflineSeAfterRebootDelay ?? properties.DelOfflineSeAfterRebootDelay,
        };
    }

    /// <summary>
    /// A configuration file loaded through the HA grains once the process is a member, unless the cluster's store
    /// already holds a configuration. Default: none.
    /// </summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// How long a silo may take to become Active before its start is abandoned (Orleans keeps retrying a refused
    /// handshake or an unreachable store for minutes). Default: 60 s.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a gateway-only process keeps trying to reach the cluster at start. Default: 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The least severe log level written to standard error; <see cref="LogLevel.None"/> for none. Default: Warning.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}
