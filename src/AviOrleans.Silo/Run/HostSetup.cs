using AviOrleans.Gateway;
using AviOrleans.Silo.Hosting;
using AviOrleans.Silo.Hosting.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Run;

/// <summary>
/// What a silo and a gateway-only process build alike: the host (a web host when the avi.v1 gateway is co-hosted,
/// a generic host otherwise), its logging, lifetime and output, and the gateway's address once started.
/// </summary>
internal static class HostSetup
{
    // How long a stopping host waits for the silo to leave the cluster gracefully before it cancels the stop
    // (Orleans then stops ungracefully: the others detect it as failed).
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The host's builder; the gateway serves the <c>IHaControlPlane</c> that the caller registers (the silo's
    /// <c>AddAviGrains()</c>, a client's <c>AddAviHaControlPlane()</c>).
    /// </summary>
    public static IHostApplicationBuilder CreateBuilder(SiloRunOptions options, TextWriter output)
    {
        IHostApplicationBuilder builder;
        if (options.Gateway is { } gateway)
        {
            var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });

            // Nothing reports Serving before Orleans says the member is ready.
            gateway.InitialHealth = ServingStatus.NotServing;
            web.AddAviGateway(gateway);
            builder = web;
        }
        else
        {
            builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        }

        builder.Logging.ClearProviders();

        // The last warning is kept whatever the console shows, for the line that says why a start failed.
        var lastProblem = new LastProblem();
        builder.Services.AddSingleton(lastProblem);
        builder.Logging.AddProvider(lastProblem);
        builder.Logging.SetMinimumLevel(options.LogLevel < LogLevel.Warning ? options.LogLevel : LogLevel.Warning);
        if (options.LogLevel != LogLevel.None)
        {
            builder.Logging.AddFilter<ConsoleLoggerProvider>(null, options.LogLevel);
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
                console.UseUtcTimestamp = true;
            });
            builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        builder.Services.AddSingleton(new SiloOutput(output));
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = ShutdownTimeout;

            // The web host starts its server after every other service; started together, the gateway answers
            // (NotServing) while the silo is still joining, instead of refusing connections.
            host.ServicesStartConcurrently = true;
        });
        return builder;
    }

    public static IHost Build(IHostApplicationBuilder builder)
    {
        if (builder is WebApplicationBuilder web)
        {
            var app = web.Build();
            app.UseAviGateway();
            return app;
        }

        return ((HostApplicationBuilder)builder).Build();
    }

    /// <summary>The address the co-hosted gateway listens on, once started; null without a gateway.</summary>
    public static Uri? GatewayAddress(IHost host) =>
        host.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.SingleOrDefault() is { } address ? new Uri(address) : null;

    public static string Describe(GatewayOptions gateway) =>
        $"{(gateway.TlsCertificateFile is null ? "h2c" : "TLS")}, {(gateway.TokenFile is null && gateway.Tokens.Count == 0 ? "no token required (loopback only)" : gateway.TokenFile is null ? $"{gateway.Tokens.Count} bearer token(s)" : $"bearer tokens from {gateway.TokenFile}, reloaded on change")}";

    /// <summary>
    /// Waits until the command is cancelled (Ctrl+C, SIGTERM: true) or the host starts stopping by itself (a fatal
    /// error: false).
    /// </summary>
    public static async Task<bool> WaitForStopRequestAsync(IHost host, CancellationToken cancellationToken)
    {
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), Task.Delay(Timeout.Infinite, stopping))
            .ContinueWith(static _ => { }, TaskScheduler.Default);
        return !stopping.IsCancellationRequested;
    }

    /// <summary>Stops a host whose start failed; what went wrong is already reported.</summary>
    public static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The host never fully started; its components logged what they were doing.
        }
    }

    /// <summary>Adds the gateway options' problem, if any, to <paramref name="failures"/>.</summary>
    public static void Validate(GatewayOptions? gateway, List<string> failures)
    {
        try
        {
            gateway?.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            failures.Add("gateway: " + ex.Message);
        }
    }
}
