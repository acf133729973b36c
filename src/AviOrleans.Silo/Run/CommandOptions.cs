using System.CommandLine;
using System.Globalization;
using System.Net;
using AviOrleans.Domain;
using AviOrleans.Gateway;
using AviOrleans.Persistence;
using AviOrleans.Silo.Hosting;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Silo.Run;

/// <summary>
/// The command-line options of the silo (the default command, and <c>serve</c>) and of <c>gateway</c>, and their
/// translation into <see cref="SiloRunOptions"/>. A fresh set per command: System.CommandLine symbols have one parent.
/// </summary>
internal sealed class CommandOptions
{
    private readonly Option<string?> _config = new("--config") { Description = "Configuration file loaded once the process has joined (JSON, Avi field names, as for 'placement'), unless the cluster's store already holds a configuration." };
    private readonly Option<string> _listen = new("--listen") { Description = $"Address and port of the avi.v1 gRPC gateway (port 0: any free port). Default: 127.0.0.1:{GatewayOptions.DefaultPort}.", DefaultValueFactory = _ => "127.0.0.1:" + GatewayOptions.DefaultPort.ToString(CultureInfo.InvariantCulture) };
    private readonly Option<bool> _noGateway = new("--no-gateway") { Description = "Run the silo without the avi.v1 gateway (gateways then run as 'gateway' processes)." };
    private readonly Option<string?> _tlsCert = new("--tls-cert") { Description = "PEM certificate file: the gateway serves TLS (with --tls-key). Default: h2c." };
    private readonly Option<string?> _tlsKey = new("--tls-key") { Description = "PEM private key file for --tls-cert." };
    private readonly Option<string?> _tokenFile = new("--token-file") { Description = "Bearer tokens, one per line: 'reader|admin NAME TOKEN' (or sha256:HEX). Without it calls need no token, allowed on loopback only." };
    private readonly Option<string> _clusterId = new("--cluster-id") { Description = $"The cluster's id. Default: {AviClusterOptions.DefaultId}.", DefaultValueFactory = _ => AviClusterOptions.DefaultId };
    private readonly Option<string> _serviceId = new("--service-id") { Description = $"The service id (grain state and reminders are keyed by it; keep it across redeployments). Default: {AviClusterOptions.DefaultId}.", DefaultValueFactory = _ => AviClusterOptions.DefaultId };
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Folder of the embedded SQLite store (membership, grain state, reminders, leases; created when missing). Silos and gateway processes of one host share it. Default: ./data." };
    private readonly Option<string?> _postgres = new("--postgres") { Description = "Npgsql connection string of a PostgreSQL store, for clusters that span hosts (instead of --data-dir). The password may also come from PGPASSWORD." };
    private readonly Option<string> _schema = new("--schema") { Description = "With --postgres: the schema that holds the tables. Default: public.", DefaultValueFactory = _ => "public" };
    private readonly Option<string?> _siloTlsCert = new("--silo-tls-cert") { Description = "PEM certificate for TLS between silos and from gateway processes (with --silo-tls-key). Required beyond loopback." };
    private readonly Option<string?> _siloTlsKey = new("--silo-tls-key") { Description = "PEM private key file for --silo-tls-cert." };
    private readonly Option<string?> _siloTlsTrust = new("--silo-tls-trust") { Description = "PEM file of further certificates peers may present (pinned by SHA-256). Default: only --silo-tls-cert itself (one cluster certificate)." };
    private readonly Option<string> _logLevel = new("--log-level") { Description = "Least severe log level written to standard error: trace, debug, information, warning, error, critical or none. Default: warning.", DefaultValueFactory = _ => "warning" };

    // The silo's own.
    private readonly Option<string> _siloName = new("--silo-name") { Description = "The silo's name: the name of the service engine on this host. Default: the host name.", DefaultValueFactory = _ => Environment.MachineName };
    private readonly Option<string> _siloAddress = new("--silo-address") { Description = "Address the silo listens on for silos and gateway processes (0.0.0.0: every address). Default: 127.0.0.1.", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<string?> _advertisedAddress = new("--advertised-address") { Description = "Address other silos use to reach this one. Default: --silo-address (required when that is 0.0.0.0)." };
    private readonly Option<int> _siloPort = new("--silo-port") { Description = $"Silo-to-silo port (0: a free port). Default: {SiloHostOptions.DefaultSiloPort}.", DefaultValueFactory = _ => SiloHostOptions.DefaultSiloPort };
    private readonly Option<int> _gatewayPort = new("--gateway-port") { Description = $"Orleans gateway port for gateway processes (0: a free port). Default: {SiloHostOptions.DefaultGatewayPort}.", DefaultValueFactory = _ => SiloHostOptions.DefaultGatewayPort };
    private readonly Option<int> _startTimeout = new("--start-timeout") { Description = "Seconds the silo may take to join the cluster before it gives up. Default: 60.", DefaultValueFactory = _ => 60 };
    private readonly Option<string?> _vipInterface = new("--vip-interface") { Description = "The host interface this SE's VIPs go on (netlink, with gratuitous ARP / unsolicited NA), fenced by the store's leases and datapath heartbeats; needs CAP_NET_ADMIN and CAP_NET_RAW. Without it the silo takes part in decisions but adds no address (said once at start)." };
    private readonly Option<string?> _seVersion = new("--se-version") { Description = "The software version this SE reports: a rolling upgrade restarts each SE (exit code 3) and waits for it to come back at its target version. Default: this build's version." };
    private readonly Option<int?> _unresponsiveSeReboot = new("--unresponsive-se-reboot") { Description = "Avi's unresponsive_se_reboot, seconds (0-86400): with --del-offline-se-after-reboot-delay, how long a dead SE keeps counting against its group's max_se before a replacement may join and it is reported due for removal. Default: the configuration file's controllerproperties, else 300." };
    private readonly Option<int?> _delOfflineSeAfterRebootDelay = new("--del-offline-se-after-reboot-delay") { Description = "Avi's del_offline_se_after_reboot_delay, seconds (0-86400): see --unresponsive-se-reboot. Default: the configuration file's controllerproperties, else 300." };
    private readonly Option<string> _membership = new("--membership") { Description = "Failure detection: fast (a dead silo is found in well under a second) or orleans-default (Orleans' 5 s probes). Default: fast.", DefaultValueFactory = _ => "fast" };

    // A gateway process's own.
    private readonly Option<int> _connectTimeout = new("--connect-timeout") { Description = "Seconds to keep trying to reach the cluster at start. Default: 30.", DefaultValueFactory = _ => 30 };

    private readonly bool _isSilo;

    private CommandOptions(bool isSilo) => _isSilo = isSilo;

    /// <summary>The options of a silo, added to <paramref name="command"/>.</summary>
    public static CommandOptions ForSilo(Command command) => new CommandOptions(isSilo: true).AddTo(command);

    /// <summary>The options of a gateway-only process, added to <paramref name="command"/>.</summary>
    public static CommandOptions ForGateway(Command command) => new CommandOptions(isSilo: false).AddTo(command);

    /// <summary>
    /// The run options from <paramref name="result"/>; throws <see cref="ArgumentException"/> or
    /// <see cref="FormatException"/> (a bad value, an unreadable token file) naming the option.
    /// </summary>
    public SiloRunOptions Read(ParseResult result)
    {
        var cluster = new AviClusterOptions
        {
            ClusterId = result.GetValue(_clusterId)!,
            ServiceId = result.GetValue(_serviceId)!,
            Store = Store(result.GetValue(_dataDir), result.GetValue(_postgres), result.GetValue(_schema)!),
            TlsCertificateFile = result.GetValue(_siloTlsCert),
            TlsKeyFile = result.GetValue(_siloTlsKey),
            TlsTrustedCertificatesFile = result.GetValue(_siloTlsTrust),
        };
        var silo = _isSilo ? ReadSilo(result) : new SiloHostOptions();
        var gatewayOptions = _isSilo && result.GetValue(_noGateway)
            ? null
            : Gateway(result.GetValue(_listen)!, result.GetValue(_tlsCert), result.GetValue(_tlsKey), result.GetValue(_tokenFile));
        var connectTimeout = _isSilo ? 30 : result.GetValue(_connectTimeout);
        var startTimeout = _isSilo ? result.GetValue(_startTimeout) : 60;
        return new SiloRunOptions
        {
            Cluster = cluster,
            Silo = silo,
            Gateway = gatewayOptions,
            VipInterface = _isSilo ? result.GetValue(_vipInterface) : null,
            SeVersion = _isSilo ? SeVersion(result.GetValue(_seVersion)) : null,
            UnresponsiveSeReboot = _isSilo ? ControllerSeconds(result.GetValue(_unresponsiveSeReboot), "--unresponsive-se-reboot", (c, v) => c with { UnresponsiveSeReboot = v }) : null,
            DelOfflineSeAfterRebootDelay = _isSilo ? ControllerSeconds(result.GetValue(_delOfflineSeAfterRebootDelay), "--del-offline-se-after-reboot-delay", (c, v) => c with { DelOfflineSeAfterRebootDelay = v }) : null,
            ConfigFile = result.GetValue(_config),
            StartTimeout = startTimeout > 0 ? TimeSpan.FromSeconds(startTimeout) : throw new ArgumentException($"--start-timeout: {startTimeout} is not a positive number of seconds."),
            ConnectTimeout = connectTimeout > 0 ? TimeSpan.FromSeconds(connectTimeout) : throw new ArgumentException($"--connect-timeout: {connectTimeout} is not a positive number of seconds."),
            LogLevel = Enum.TryParse<LogLevel>(result.GetValue(_logLevel), ignoreCase: true, out var level) && Enum.IsDefined(level)
                ? level
                : throw new ArgumentException($"--log-level: \"{result.GetValue(_logLevel)}\" is not a log level."),
        };
    }

    private SiloHostOptions ReadSilo(ParseResult result) => new()
    {
        SiloName = result.GetValue(_siloName)!,
        ListenAddress = result.GetValue(_siloAddress)!,
        AdvertisedAddress = result.GetValue(_advertisedAddress),
        SiloPort = result.GetValue(_siloPort),
        GatewayPort = result.GetValue(_gatewayPort),
        Membership = MembershipProfiles.TryParse(result.GetValue(_membership), out var profile)
            ? profile
            : throw new ArgumentException($"--membership: \"{result.GetValue(_membership)}\" is neither fast nor orleans-default."),
    };

    // A controller timer checked by the domain's own rules (Avi's range), on defaults otherwise.
    private static int? ControllerSeconds(int? value, string option, Func<ControllerProperties, int, ControllerProperties> set) =>
        value is not { } seconds || ConfigurationValidator.ValidateControllerProperties(set(new ControllerProperties(), seconds)) is not [var violation, ..]
            ? value
            : throw new ArgumentException($"{option}: {violation.Description}.");

    private static string? SeVersion(string? value) =>
        value is null || !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("--se-version: the version must not be empty.");

    internal static GatewayOptions Gateway(string listen, string? tlsCert, string? tlsKey, string? tokenFile)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(listen[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(listen[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"--listen: \"{listen}\" is not ADDRESS:PORT (e.g. 127.0.0.1:{GatewayOptions.DefaultPort}).");
        }

        // The gateway reads the token file again whenever it changes: tokens are added or revoked without a restart.
        return new GatewayOptions { Address = address, Port = port, TlsCertificateFile = tlsCert, TlsKeyFile = tlsKey, TokenFile = tokenFile };
    }

    internal static StoreOptions Store(string? dataDir, string? postgres, string schema)
    {
        if (postgres is null)
        {
            return new StoreOptions().UseSqlite(dataDir ?? "data");
        }

        if (dataDir is not null)
        {
            throw new ArgumentException("--data-dir and --postgres: give one store, not both.");
        }

        var store = new StoreOptions().UsePostgreSql(postgres);
        store.PostgreSql.Schema = schema;
        return store;
    }

    private CommandOptions AddTo(Command command)
    {
        Option[] common = [_config, _listen, _tlsCert, _tlsKey, _tokenFile, _clusterId, _serviceId, _dataDir, _postgres, _schema, _siloTlsCert, _siloTlsKey, _siloTlsTrust, _logLevel];
        Option[] own = _isSilo
            ? [_noGateway, _siloName, _siloAddress, _advertisedAddress, _siloPort, _gatewayPort, _membership, _startTimeout, _vipInterface, _seVersion, _unresponsiveSeReboot, _delOfflineSeAfterRebootDelay]
            : [_connectTimeout];
        foreach (var option in common.Concat(own))
        {
            command.Options.Add(option);
        }

        return this;
    }
}
