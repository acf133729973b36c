using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using AviOrleans.Domain;
using AviOrleans.Gateway;
using AviOrleans.Grains;
using AviOrleans.Runtime.AdoNet;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Silo.Configuration;
using AviOrleans.Silo.Serve.Internal;
using RuntimeSilo = AviOrleans.Runtime.Hosting.Silo;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Serve;

/// <summary>
/// <c>aviorleans-silo serve</c>: runs a runtime silo (membership table and grain state in SQLite under
/// the data folder) and the gRPC gateway (the avi.v1 API, health, reflection) whose grpc.health.v1 status
/// follows the silo's membership state, on the HA grains of an Orleans silo in this process, optionally loaded from
/// a configuration file, until Ctrl+C or SIGTERM. Listens on 127.0.0.1:50051 by default; TLS from PEM files; bearer tokens from a token
/// file (required to listen beyond loopback). Exit codes: 0 stopped, 1 could not start or the silo stopped by itself (declared dead), 2 invalid
/// options or configuration.
/// </summary>
internal static class ServeCommand
{
    // How long the gateway stays up after health turned NotServing: stopping it cancels every Watch at once,
    // and watchers (load balancers, kubelet, the tests) must first receive the NotServing update.
    private static readonly TimeSpan HealthDrain = TimeSpan.FromMilliseconds(500);

    public static Command Build()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file to load at start (JSON, Avi field names, as for 'placement')." };
        var listen = new Option<string>("--listen") { Description = $"Address and port of the gateway (port 0: any free port). Default: 127.0.0.1:{GatewayOptions.DefaultPort}.", DefaultValueFactory = _ => "127.0.0.1:" + GatewayOptions.DefaultPort.ToString(CultureInfo.InvariantCulture) };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate file: serve TLS (with --tls-key). Default: h2c." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key file for --tls-cert." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Bearer tokens, one per line: 'reader|admin NAME TOKEN' (or sha256:HEX). Without it calls need no token, allowed on loopback only." };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder of the SQLite membership table and grain state (created when missing). Default: ./data.", DefaultValueFactory = _ => "data" };
        var siloName = new Option<string>("--silo-name") { Description = "The silo's name. Default: the host name.", DefaultValueFactory = _ => Environment.MachineName };
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster's id. Default: default.", DefaultValueFactory = _ => "default" };
        var siloAddress = new Option<string>("--silo-address") { Description = "Address the silo listens on for silos and clients. Default: 127.0.0.1.", DefaultValueFactory = _ => "127.0.0.1" };
        var siloPort = new Option<int>("--silo-port") { Description = $"The silo port (0: any free port). Default: {SiloHostOptions.DefaultSiloPort}.", DefaultValueFactory = _ => SiloHostOptions.DefaultSiloPort };
        var clusterKeyFile = new Option<string?>("--cluster-key-file") { Description = $"File holding the cluster key (base64, at least 16 bytes). Required beyond loopback; on loopback a random key is generated once into DATA-DIR/{ClusterKeyFile.GeneratedFileName} (mode 0600)." };
        var command = new Command("serve", "Run a silo (SQLite membership under --data-dir) and its gRPC gateway (avi.v1 API, health, reflection) until stopped.")
        {
            config, listen, tlsCert, tlsKey, tokenFile, dataDir, siloName, clusterId, siloAddress, siloPort, clusterKeyFile,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(config),
            result.GetValue(listen)!,
            result.GetValue(tlsCert),
            result.GetValue(tlsKey),
            result.GetValue(tokenFile),
            new SiloHostOptions
            {
                DataDirectory = result.GetValue(dataDir)!,
                SiloName = result.GetValue(siloName)!,
                ClusterId = result.GetValue(clusterId)!,
                SiloAddress = result.GetValue(siloAddress)!,
                SiloPort = result.GetValue(siloPort),
                ClusterKeyFile = result.GetValue(clusterKeyFile),
            },
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? configFile, string listen, string? tlsCert, string? tlsKey, string? tokenFile, SiloHostOptions silo, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        GatewayOptions options;
        SiloOptions siloOptions;
        SqliteStoreOptions storeOptions;
        try
        {
            options = Options(listen, tlsCert, tlsKey, tokenFile);
            options.Validate();
            (siloOptions, storeOptions) = SiloAndStores(silo);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("serve: " + ex.Message);
            return 2;
        }

        // The HA grains in this process until the silo host (issue 8) runs them in its Orleans silo.
        await using var grains = await LocalHaHost.StartAsync(silo.SiloName, cancellationToken);
        var controlPlane = grains.ControlPlane;
        if (configFile is not null && !await LoadAsync(configFile, controlPlane, error, cancellationToken))
        {
            return 2;
        }

        // Nothing may report Serving before the silo is Active in its own membership view.
        options.InitialHealth = ServingStatus.NotServing;
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(options, controlPlane, cancellationToken: cancellationToken);
        }
        catch (IOException ex)
        {
            // Kestrel reports an address in use (or not available) as an IOException.
            error.WriteLine($"serve: cannot listen on {listen}: {ex.Message}");
            return 1;
        }

        // Stop on Ctrl+C and SIGTERM (systemd, kubelet) whether or not the command-line host
        // already cancels the token for them.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await using (host)
        {
            var security = options.TokenFile is null ? "no token required (loopback only)" : $"bearer tokens from {options.TokenFile}, reloaded on change";
            output.WriteLine($"gateway listening on {host.Address} ({(options.TlsCertificateFile is null ? "h2c" : "TLS")}, {security}); Ctrl+C stops it.");
            await output.FlushAsync(cancellationToken);
            var code = await RunSiloAsync(siloOptions, storeOptions, host, output, error, stop.Token);
            output.WriteLine("gateway stopped.");
            return code;
        }
    }

    // Runs the silo over the SQLite stores until stopped (0) or until it stops by itself, e.g. declared dead (1);
    // the gateway's health follows the silo's membership view throughout.
    private static async Task<int> RunSiloAsync(SiloOptions siloOptions, SqliteStoreOptions storeOptions, GatewayHost host, TextWriter output, TextWriter error, CancellationToken stop)
    {
        await using var membershipTable = new SqliteMembershipTable(storeOptions);
        await using var stateStore = new SqliteGrainStateStore(storeOptions);
        await using var silo = new RuntimeSilo(siloOptions, membershipTable, stateStore, new GrainRegistrations());
        try
        {
            await stateStore.InitializeAsync(stop);
            await silo.StartAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            output.WriteLine("silo start cancelled.");
            return 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error.WriteLine($"serve: the silo could not join cluster '{siloOptions.ClusterId}' ({storeOptions.DatabasePath}): {ex.Message}");
            return 1;
        }

        // Health was NotServing while the silo joined; from here on it follows the silo's own view.
        var health = new MembershipHealth(host.Health, silo.Address);
        using var subscription = silo.Membership.Updates.Subscribe(health);
        output.WriteLine($"silo {silo.Name} ({silo.Address}) active in cluster '{siloOptions.ClusterId}'; membership in {storeOptions.DatabasePath}.");
        await output.FlushAsync(CancellationToken.None);

        var stopped = Task.Delay(Timeout.Infinite, stop);
        var first = await Task.WhenAny(stopped, silo.Terminated);
        if (first != stopped)
        {
            health.Leave();
            error.WriteLine($"serve: the silo stopped: {silo.StopReason ?? "unknown reason"}; exiting.");
            await Task.Delay(HealthDrain, CancellationToken.None);
            return 1;
        }

        // Health watchers (load balancers, kubelet) learn first that this silo is going away, then it
        // leaves the cluster gracefully (ShuttingDown, Dead in the table).
        health.Leave();
        var drained = Task.Delay(HealthDrain, CancellationToken.None);
        await silo.StopAsync(CancellationToken.None);
        output.WriteLine($"silo {silo.Name} stopped.");
        await drained;
        return 0;
    }

    private static (SiloOptions Silo, SqliteStoreOptions Stores) SiloAndStores(SiloHostOptions silo)
    {
        if (!IPAddress.TryParse(silo.SiloAddress, out var address))
        {
            throw new ArgumentException($"--silo-address: \"{silo.SiloAddress}\" is not an IP address.");
        }

        if (silo.SiloPort is < 0 or > 65535)
        {
            throw new ArgumentException($"--silo-port: {silo.SiloPort} is not between 0 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(silo.SiloName))
        {
            throw new ArgumentException("--silo-name must not be empty.");
        }

        if (silo.ClusterKeyFile is null && !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"--cluster-key-file is required when the silo listens beyond loopback ({address}).");
        }

        var stores = new SqliteStoreOptions { DataDirectory = silo.DataDirectory, ClusterId = silo.ClusterId, ServiceId = silo.ClusterId };
        stores.Validate();
        var key = silo.ClusterKeyFile is { } keyFile ? ClusterKeyFile.Read(keyFile) : ClusterKeyFile.ReadOrCreate(silo.DataDirectory);
        var options = new SiloOptions
        {
            SiloName = silo.SiloName,
            ClusterId = silo.ClusterId,
            ClusterKey = key,
            Endpoint = new IPEndPoint(address, silo.SiloPort),
        };
        return (options, stores);
    }

    private static GatewayOptions Options(string listen, string? tlsCert, string? tlsKey, string? tokenFile)
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

    // Loads the file through the control plane, object by object, so that it is validated as any
    // API change is: groups, then SEs, shared VIPs and virtual services.
    private static async Task<bool> LoadAsync(string path, IHaControlPlane controlPlane, TextWriter error, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"serve: cannot read {path}: {ex.Message}");
            return false;
        }

        var (configuration, violations) = ConfigurationLoader.Parse(json);
        if (configuration is null || violations.Count > 0)
        {
            error.WriteLine($"serve: {path} is invalid:");
            foreach (var v in violations)
            {
                error.WriteLine($"  {v.FieldPath}: {v.Description}");
            }

            return false;
        }

        try
        {
            foreach (var g in configuration.ServiceEngineGroups)
            {
                await controlPlane.CreateServiceEngineGroupAsync(g, false, cancellationToken);
            }

            foreach (var se in configuration.ServiceEngines)
            {
                await controlPlane.CreateServiceEngineAsync(se, false, cancellationToken);
            }

            foreach (var vsVip in configuration.VsVips)
            {
                await controlPlane.CreateVsVipAsync(vsVip, false, cancellationToken);
            }

            foreach (var vs in configuration.VirtualServices)
            {
                await controlPlane.CreateVirtualServiceAsync(vs, false, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HaValidationException or HaObjectExistsException or HaOperationRejectedException or HaObjectNotFoundException)
        {
            error.WriteLine($"serve: {path} could not be loaded: {ex.Message}");
            return false;
        }

        return true;
    }
}
