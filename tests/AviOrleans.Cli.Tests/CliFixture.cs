using System.Net;
using AviOrleans.Gateway;
using AviOrleans.Grains;
using AviOrleans.Testing;

namespace AviOrleans.Cli.Tests;

/// <summary>A real gateway (Kestrel on 127.0.0.1, port 0) and avictl's command handlers run in-process against it.</summary>
public sealed class CliFixture : IAsyncDisposable
{
    public const string AdminToken = "cli-admin-token";
    public const string ReaderToken = "cli-reader-token";

    private readonly HaTestCluster _cluster;

    private CliFixture(GatewayHost host, HaTestCluster cluster)
    {
        Host = host;
        _cluster = cluster;
    }

    public GatewayHost Host { get; }

    public static async Task<CliFixture> StartAsync(TlsFiles? tls = null)
    {
        var cluster = await HaTestCluster.StartAsync();
        var options = new GatewayOptions { Address = IPAddress.Loopback, Port = 0, TlsCertificateFile = tls?.CertificatePath, TlsKeyFile = tls?.KeyPath };
        options.Tokens.Add(new BearerToken { Name = "ops", Role = GatewayRole.Admin, Token = AdminToken });
        options.Tokens.Add(new BearerToken { Name = "viewer", Role = GatewayRole.Reader, Token = ReaderToken });
        var host = await GatewayHost.StartAsync(options, cluster.ControlPlane, cancellationToken: TestContext.Current.CancellationToken);
        return new CliFixture(host, cluster);
    }

    /// <summary>Runs avictl as admin (token from the environment, gateway from --gateway).</summary>
    public Task<CliResult> AdminAsync(params string[] args) => RunAsync(AdminToken, args);

    public Task<CliResult> ReaderAsync(params string[] args) => RunAsync(ReaderToken, args);

    public Task<CliResult> RunAsync(string? token, string[] args, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        if (token is not null)
        {
            env.TryAdd("AVICTL_TOKEN", token);
        }

        env.TryAdd("AVICTL_GATEWAY", Host.Address.ToString());
        return Run(args, env);
    }

    public static async Task<CliResult> Run(string[] args, IDictionary<string, string> environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AvictlApp.RunAsync(args, output, error, name => environment.TryGetValue(name, out var v) ? v : null, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}
