using System.Diagnostics;
using System.Security.Cryptography;
using AviOrleans.Grains.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace AviOrleans.Grains.Tests;

/// <summary>
/// A next-hop router and two SE hosts, each a network namespace: the router's bridge holds the gateway address
/// (192.0.2.1) and each SE's veth peer; SE hosts are 192.0.2.11 and .12. The silos named <see cref="Se1"/> and
/// <see cref="Se2"/> send their gateway echoes from their host's namespace (<see cref="Silo"/>), so cutting an SE's
/// link really stops its echoes. Disposing deletes the namespaces (and with them the links).
/// </summary>
internal sealed class GatewayLab : IAsyncDisposable
{
    public const string Se1 = "Secondary_1";
    public const string Se2 = "Secondary_2";
    public const string Gateway = "192.0.2.1";

    private static readonly Dictionary<string, string> s_namespaces = new(StringComparer.Ordinal);
    private readonly string _suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    private string Router => $"avigw-{_suffix}-r";

    public static async Task<GatewayLab> CreateAsync()
    {
        RequireRoot();
        var lab = new GatewayLab();
        try
        {
            await RunAsync("ip", "netns", "add", lab.Router);
            await RunAsync("ip", "-n", lab.Router, "link", "add", "br0", "type", "bridge");
            await RunAsync("ip", "-n", lab.Router, "addr", "add", Gateway + "/24", "dev", "br0");
            await RunAsync("ip", "-n", lab.Router, "link", "set", "br0", "up");
            foreach (var (se, host) in new[] { (Se1, 11), (Se2, 12) })
            {
                var ns = lab.HostOf(se);
                await RunAsync("ip", "netns", "add", ns);
                await RunAsync("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", $"p{host}", "netns", lab.Router);
                await RunAsync("ip", "-n", ns, "addr", "add", $"192.0.2.{host}/24", "dev", "eth0");
                await RunAsync("ip", "-n", ns, "link", "set", "eth0", "up");
                await RunAsync("ip", "-n", lab.Router, "link", "set", $"p{host}", "master", "br0", "up");
                lock (s_namespaces)
                {
                    s_namespaces[se] = ns;
                }
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public Task CutAsync(string se) => RunAsync("ip", "-n", HostOf(se), "link", "set", "eth0", "down");

    public Task RestoreAsync(string se) => RunAsync("ip", "-n", HostOf(se), "link", "set", "eth0", "up");

    public async ValueTask DisposeAsync()
    {
        lock (s_namespaces)
        {
            s_namespaces.Clear();
        }

        foreach (var ns in new[] { HostOf(Se1), HostOf(Se2), Router })
        {
            await RunAsync("ip", "netns", "del", ns, check: false);
        }
    }

    private string HostOf(string se) => $"avigw-{_suffix}-{(se == Se1 ? "1" : "2")}";

    private static void RequireRoot()
    {
        if (Environment.IsPrivilegedProcess)
        {
            return;
        }

        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "The gateway-monitor cluster test must run as root where CI=true (network namespaces).");
        Assert.Skip("Needs root: network namespaces for the SE hosts and their gateway.");
    }

    private static async Task RunAsync(string file, params string[] arguments) => await RunAsync(file, arguments, check: true);

    private static async Task RunAsync(string file, string a, string b, string c, bool check) => await RunAsync(file, [a, b, c], check);

    private static async Task RunAsync(string file, string[] arguments, bool check)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        }
    }

    /// <summary>Points each SE silo's prober at its host's namespace.</summary>
    public sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddOptions<MonitoringOptions>().Configure<Orleans.Runtime.ILocalSiloDetails>((o, silo) =>
            {
                lock (s_namespaces)
                {
                    o.GatewayNamespace = s_namespaces.GetValueOrDefault(silo.Name);
                }
            });
    }
}
