using AviOrleans.Grains;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Silo.Hosting;
using AviOrleans.Silo.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Runtime;

namespace AviOrleans.Silo.Run;

/// <summary>
/// Runs one silo of the cluster (with the avi.v1 gateway co-hosted when asked) until the command is cancelled
/// (Ctrl+C, SIGTERM) or the silo stops by itself. Exit codes: 0 stopped on request; 1 could not start, or stopped by
/// itself (declared dead by the cluster, or another fatal error); 2 invalid options or configuration; 3 stopped to be
/// restarted on the installed version (a rolling upgrade asked).
/// </summary>
internal static class SiloRunner
{
    /// <param name="options">What to run.</param>
    /// <param name="output">Standard output: the start and stop lines, and the membership view's changes.</param>
    /// <param name="error">Standard error: the one line that says why the silo did not start or stopped by itself.</param>
    /// <param name="configureSilo">More silo configuration after the HA grains' (tests add their own).</param>
    /// <param name="onStarted">Called with the host's services once the silo is Active (tests).</param>
    /// <param name="cancellationToken">Stops the silo gracefully.</param>
    public static async Task<int> RunAsync(
        SiloRunOptions options,
        TextWriter output,
        TextWriter error,
        Action<ISiloBuilder>? configureSilo = null,
        Action<IServiceProvider>? onStarted = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
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

        if (PortCheck.Describe(options.Silo) is { } taken)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: {taken}");
            return 1;
        }

        var builder = HostSetup.CreateBuilder(options, output);
        builder.UseOrleans(silo =>
        {
            silo.UseAviSilo(
                cluster =>
                {
                    options.Cluster.CopyTo(cluster);

                    // The store's grain storage is the one the HA grains name.
                    cluster.Store.GrainStorageName = HaRegistry.StorageName;
                },
                options.Silo.CopyTo);

            // The HA grains, the SE-pinned placement (this silo is the SE of its name), the membership watcher that
            // tells the groups which SEs are up, and the grain-backed control plane the co-hosted gateway serves.
            silo.AddAviGrains(grains =>
            {
                grains.ControllerProperties = options.ControllerProperties(configuration?.ControllerProperties);
                if (options.SeVersion is { } version)
                {
                    grains.ServiceEngineVersion = version;
                }
            });

            // The data plane: this host's VIPs through netlink, fenced (store lease + datapath heartbeats), and the
            // takeover gate that lets a survivor add a dead SE's addresses only once that SE cannot still hold them.
            silo.AddAviDataPlane(dataPlane =>
            {
                dataPlane.VipInterface = options.VipInterface;

                // Orleans' default detection (5 s probes) is for hosts too busy for the fast one; there the datapath
                // heartbeats (a peer silent for 500 ms) only report suspicions and Orleans' probes decide who is dead,
                // or they would declare dead the busy silos that profile is chosen to spare.
                dataPlane.DeclareDeadOnConfirmedSuspicion = options.Silo.Membership == MembershipProfile.Fast;
            });
            configureSilo?.Invoke(silo);
        });
        builder.Services.AddHostedService<MembershipViewReporter>();
        builder.Services.AddSingleton<SiloRestart>();
        builder.Services.AddSingleton<IServiceEngineRestart>(sp => sp.GetRequiredService<SiloRestart>());
        if (options.Gateway is not null)
        {
            builder.Services.AddSingleton<SiloHealthPublisher>();
            builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SiloHealthPublisher>());
        }

        using var host = HostSetup.Build(builder);
        var termination = host.Services.GetRequiredService<SiloTermination>();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(options.StartTimeout);
        try
        {
            await host.StartAsync(startTimeout.Token);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM during the start: however Orleans' lifecycle reports the cancellation, it was asked for.
            await output.WriteLineAsync("silo start cancelled.");
            await HostSetup.StopQuietlyAsync(host);
            return 0;
        }
        catch (Exception ex)
        {
            var cause = termination.Reason
                ?? (startTimeout.IsCancellationRequested ? $"not Active after {options.StartTimeout.TotalSeconds:0} s" : StartErrors.Describe(ex));
            cause = StartErrors.WithContext(cause, host.Services.GetRequiredService<LastProblem>().Text);
            await error.WriteLineAsync($"{SiloCommands.Name}: the silo could not join cluster '{options.Cluster.ClusterId}': {cause}");
            await HostSetup.StopQuietlyAsync(host);
            return ex is OptionsValidationException ? 2 : 1;
        }

        var self = host.Services.GetRequiredService<ILocalSiloDetails>();
        var membership = host.Services.GetRequiredService<IOptions<SiloHostOptions>>().Value.Membership;
        await output.WriteLineAsync(
            $"silo {self.Name} ({self.SiloAddress.ToParsableString()}, gateway {self.GatewayAddress?.Endpoint.ToString() ?? "none"}) active in cluster '{options.Cluster.ClusterId}'; store {StoreDescription.Of(options.Cluster.Store)}, membership {MembershipProfiles.Name(membership)}.");
        if (options.Gateway is { } gateway)
        {
            await output.WriteLineAsync($"gateway listening on {HostSetup.GatewayAddress(host)} ({HostSetup.Describe(gateway)}); Ctrl+C stops it.");
        }

        if (configuration is not null
            && !await ConfigurationSetup.LoadAsync(options.ConfigFile!, configuration, host.Services.GetRequiredService<IHaControlPlane>(), output, error, cancellationToken))
        {
            await HostSetup.StopQuietlyAsync(host);
            return 2;
        }

        await output.FlushAsync(CancellationToken.None);
        onStarted?.Invoke(host.Services);

        // Until the command is cancelled (Ctrl+C, SIGTERM), a rolling upgrade asks for a restart, or the host stops by
        // itself (a fatal error).
        var restart = host.Services.GetRequiredService<SiloRestart>();
        using var stopRequested = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, restart.Requested);
        if (await HostSetup.WaitForStopRequestAsync(host, stopRequested.Token) && host.Services.GetService<SiloHealthPublisher>() is { } health)
        {
            await health.LeaveAsync();
        }

        await host.StopAsync(CancellationToken.None);
        if (termination.Reason is { } reason)
        {
            await error.WriteLineAsync($"{SiloCommands.Name}: the silo stopped: {reason}");
            return 1;
        }

        if (restart.TargetVersion is { } target && !cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"silo {self.Name} stopped to restart for the upgrade to {target}: exit code {SiloRestart.ExitCode} asks its supervisor to start the installed version.");
            return SiloRestart.ExitCode;
        }

        await output.WriteLineAsync($"silo {self.Name} stopped.");
        return 0;
    }

    /// <summary>The options' problems as one line, or null when they are valid.</summary>
    internal static string? Validate(SiloRunOptions options)
    {
        var failures = new List<string>();
        var cluster = new AviClusterOptionsValidator(TimeProvider.System).Validate(null, options.Cluster);
        var silo = new SiloHostOptionsValidator(Options.Create(options.Cluster)).Validate(null, options.Silo);
        failures.AddRange(cluster.Failures ?? []);
        failures.AddRange(silo.Failures ?? []);
        HostSetup.Validate(options.Gateway, failures);
        return failures.Count == 0 ? null : string.Join(" ", failures);
    }
}
