using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using AviOrleans.Domain;
using AviOrleans.Gateway;
using AviOrleans.Grains;
using AviOrleans.Silo.Configuration;

namespace AviOrleans.Silo.Serve;

/// <summary>
/// <c>aviorleans-silo serve</c>: runs the gRPC gateway (the avi.v1 API, health, reflection) on
/// today's in-process control plane (in memory, or saved to a state file), optionally loaded from
/// a configuration file, until Ctrl+C or SIGTERM. Listens on 127.0.0.1:50051 by default; TLS from PEM files; bearer tokens from a token
/// file (required to listen beyond loopback). Exit codes: 0 stopped, 1 could not start, 2 invalid
/// options or configuration.
/// </summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file to load at start (JSON, Avi field names, as for 'placement')." };
        var listen = new Option<string>("--listen") { Description = $"Address and port of the gateway (port 0: any free port). Default: 127.0.0.1:{GatewayOptions.DefaultPort}.", DefaultValueFactory = _ => "127.0.0.1:" + GatewayOptions.DefaultPort.ToString(CultureInfo.InvariantCulture) };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate file: serve TLS (with --tls-key). Default: h2c." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key file for --tls-cert." };
        var tokenFile = new Option<string?>("--token-file") { Description = "Bearer tokens, one per line: 'reader|admin NAME TOKEN' (or sha256:HEX). Without it calls need no token, allowed on loopback only." };
        var stateFile = new Option<string?>("--state-file") { Description = "Keep the configuration and placements in this JSON file across restarts (saved after every change). Default: memory only." };
        var command = new Command("serve", "Run the gRPC gateway (avi.v1 API, health, reflection) until stopped.") { config, listen, tlsCert, tlsKey, tokenFile, stateFile };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(stateFile),
            result.GetValue(config),
            result.GetValue(listen)!,
            result.GetValue(tlsCert),
            result.GetValue(tlsKey),
            result.GetValue(tokenFile),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? stateFile, string? configFile, string listen, string? tlsCert, string? tlsKey, string? tokenFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        GatewayOptions options;
        try
        {
            options = Options(listen, tlsCert, tlsKey, tokenFile);
            options.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("serve: " + ex.Message);
            return 2;
        }

        InMemoryHaControlPlane controlPlane;
        try
        {
            controlPlane = stateFile is null ? new InMemoryHaControlPlane() : InMemoryHaControlPlane.Open(stateFile);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine("serve: " + ex.Message);
            return 2;
        }

        await using var disposeControlPlane = controlPlane;
        if (configFile is not null)
        {
            if ((await controlPlane.ListServiceEngineGroupsAsync(cancellationToken)).Count > 0)
            {
                // The state file already holds a configuration: it wins, so that a restart with the
                // same command line does not replay the file over later changes.
                output.WriteLine($"{stateFile} holds a configuration; {configFile} is not loaded.");
            }
            else if (!await LoadAsync(configFile, controlPlane, error, cancellationToken))
            {
                return 2;
            }
        }

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
            var security = options.Tokens.Count == 0 ? "no token required (loopback only)" : $"{options.Tokens.Count} bearer token(s)";
            output.WriteLine($"gateway listening on {host.Address} ({(options.TlsCertificateFile is null ? "h2c" : "TLS")}, {security}); Ctrl+C stops it.");
            await output.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: stop serving.
            }

            // Health watchers (load balancers, kubelet) learn first that this gateway is going away.
            host.Health.SetOverallStatus(AviOrleans.Grpc.HealthServingStatus.NotServing);
            output.WriteLine("gateway stopped.");
        }

        return 0;
    }

    private static GatewayOptions Options(string listen, string? tlsCert, string? tlsKey, string? tokenFile)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(listen[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(listen[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"--listen: \"{listen}\" is not ADDRESS:PORT (e.g. 127.0.0.1:{GatewayOptions.DefaultPort}).");
        }

        var options = new GatewayOptions { Address = address, Port = port, TlsCertificateFile = tlsCert, TlsKeyFile = tlsKey };
        if (tokenFile is not null)
        {
            var tokens = TokenFile.Read(tokenFile);
            if (tokens.Count == 0)
            {
                throw new FormatException($"{tokenFile} holds no token.");
            }

            foreach (var token in tokens)
            {
                options.Tokens.Add(token);
            }
        }

        return options;
    }

    // Loads the file through the control plane, object by object, so that it is validated as any
    // API change is: groups, then SEs, shared VIPs and virtual services.
    private static async Task<bool> LoadAsync(string path, InMemoryHaControlPlane controlPlane, TextWriter error, CancellationToken cancellationToken)
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
