using AviOrleans.Grains;
using AviOrleans.Silo.Hosting;
using AviOrleans.Silo.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace AviOrleans.Silo.Run;

/// <summary>
/// Runs a gateway-only process (<c>aviorleans-silo gateway</c>, the Kubernetes Deployment): an Orleans client of the
/// cluster and the avi.v1 gateway in one web host, until the command is cancelled. Its grpc.health.v1 follows the
/// client's connection to the cluster. Exit codes as for the silo: 0 stopped on request, 1 could not connect,
/// 2 invalid options or configuration.
/// </summary>
internal static class GatewayRunner
{
    /// <param name="options">What to run (<see cref="SiloRunOptions.Silo"/> is not used).</param>
    /// <param name="output">Standard output: the start and stop lines.</param>
    /// <param name="error">Standard error: the one line that says why the process could not start.</param>
    /// <param name="onStarted">Called with the host's services once the client is connected (tests).</param>
    /// <param name="cancellationToken">Stops the process.</param>
    public static async Task<int> RunAsync(
        SiloRunOptions options,
        TextWriter output,
        TextWriter error,
        Action<IServiceProvider>? onStarted = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Gateway is null)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: a gateway-only process needs a gateway to serve.");
            return 2;
        }

        if (Validate(options) is { } invalid)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: {invalid}");
            return 2;
        }

        var configuration = options.ConfigFile is { } path ? await ConfigurationSetup.ReadAsync(path, error, cancellationToken) : null;
        if (options.ConfigFile is not null && configuration is null)
        {
            return 2;
        }

        var builder = HostSetup.CreateBuilder(options, output);
        var connectTimeout = options.ConnectTimeout;
        builder.UseOrleansClient(client =>
        {
            client.UseAviCluster(options.Cluster.CopyTo);

            // The grain-backed control plane the gateway serves, over this client.
            client.AddAviHaControlPlane();
        });
        builder.Services.AddSingleton<IClientConnectionRetryFilter>(sp => new ConnectRetryFilter(
            connectTimeout, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConnectRetryFilter>>()));
        builder.Services.AddSingleton<ClientHealthPublisher>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClientHealthPublisher>());
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ClientHealthPublisher>());

        using var host = HostSetup.Build(builder);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM while connecting, however the client reports the cancellation.
            await output.WriteLineAsync("gateway start cancelled.");
            await HostSetup.StopQuietlyAsync(host);
            return 0;
        }
        catch (Exception ex)
        {
            var cause = StartErrors.NoGateway(StartErrors.Describe(ex), options.Cluster.ClusterId, StoreDescription.Of(options.Cluster.Store))
                ?? StartErrors.WithContext(StartErrors.Describe(ex), host.Services.GetRequiredService<LastProblem>().Text);
            await error.WriteLineAsync($"{SiloCommands.Name}: cannot connect to cluster '{options.Cluster.ClusterId}': {cause}");
            await HostSetup.StopQuietlyAsync(host);
            return 1;
        }

        await output.WriteLineAsync($"connected to cluster '{options.Cluster.ClusterId}' as an Orleans client; store {StoreDescription.Of(options.Cluster.Store)}.");
        await output.WriteLineAsync($"gateway listening on {HostSetup.GatewayAddress(host)} ({HostSetup.Describe(options.Gateway)}); Ctrl+C stops it.");
        if (configuration is not null
            && !await ConfigurationSetup.LoadAsync(options.ConfigFile!, configuration, host.Services.GetRequiredService<IHaControlPlane>(), output, error, cancellationToken))
        {
            await HostSetup.StopQuietlyAsync(host);
            return 2;
        }

        await output.FlushAsync(CancellationToken.None);
        onStarted?.Invoke(host.Services);
        await HostSetup.WaitForStopRequestAsync(host, cancellationToken);
        await host.Services.GetRequiredService<ClientHealthPublisher>().LeaveAsync();
        await host.StopAsync(CancellationToken.None);
        await output.WriteLineAsync("gateway stopped.");
        return 0;
    }

    internal static string? Validate(SiloRunOptions options)
    {
        var failures = new List<string>(new AviClusterOptionsValidator(TimeProvider.System).Validate(null, options.Cluster).Failures ?? []);
        HostSetup.Validate(options.Gateway, failures);
        return failures.Count == 0 ? null : string.Join(" ", failures);
    }
}
