using System.Globalization;
using System.Security.Cryptography;
using AviOrleans.Netlink;

namespace AviOrleans.DataPlane.Tests;

/// <summary>
/// A LAN of network namespaces: a bridge in its own namespace, one namespace per SE host with <c>eth0</c>
/// (192.0.2.(10+i)/24, MAC 02:d0:00:00:00:(10+i)) on it, and a client namespace (<c>eth0</c> 192.0.2.50/24). Names are
/// random; disposing deletes every namespace (and with them the veths and the bridge).
/// </summary>
internal sealed class Lan : IAsyncDisposable
{
    public const string HostInterface = "eth0";
    public const string ClientAddress = "192.0.2.50";

    private readonly string _prefix;
    private readonly List<string> _namespaces = [];

    private Lan(string prefix)
    {
        _prefix = prefix;
    }

    public string BridgeNamespace => _prefix + "-lan";

    public string ClientNamespace => _prefix + "-cli";

    public IReadOnlyList<string> HostNamespaces { get; private set; } = [];

    public NetworkNamespace Client => NetworkNamespace.FromName(ClientNamespace);

    public static string HostAddress(int host) => "192.0.2." + (10 + host).ToString(CultureInfo.InvariantCulture);

    public static string HostMac(int host) => "02:d0:00:00:00:" + (10 + host).ToString(CultureInfo.InvariantCulture);

    public static async Task<Lan> CreateAsync(int hosts)
    {
        Privilege.RequireRoot();
        var lan = new Lan("avidp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));
        try
        {
            await lan.AddNamespaceAsync(lan.BridgeNamespace);
            await HostCommand.RunAsync("ip", "-n", lan.BridgeNamespace, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
            await HostCommand.RunAsync("ip", "-n", lan.BridgeNamespace, "link", "set", "br0", "up");
            var names = new List<string>();
            for (var i = 0; i < hosts; i++)
            {
                var name = lan._prefix + "-h" + i.ToString(CultureInfo.InvariantCulture);
                await lan.AttachAsync(name, "h" + i.ToString(CultureInfo.InvariantCulture), HostAddress(i), HostMac(i));
                names.Add(name);
            }

            await lan.AttachAsync(lan.ClientNamespace, "cli", ClientAddress, "02:d0:00:00:00:50");
            lan.HostNamespaces = names;
            return lan;
        }
        catch
        {
            await lan.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes a host's link down (or up): the host can neither send nor receive on the LAN.</summary>
    public Task SetHostLinkAsync(int host, bool up) =>
        HostCommand.RunAsync("ip", "-n", HostNamespaces[host], "link", "set", HostInterface, up ? "up" : "down");

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _namespaces)
        {
            await HostCommand.TryRunAsync("ip", "netns", "del", name);
        }
    }

    private async Task AddNamespaceAsync(string name)
    {
        await HostCommand.RunAsync("ip", "netns", "add", name);
        _namespaces.Add(name);
        await HostCommand.RunAsync("ip", "-n", name, "link", "set", "lo", "up");
    }

    private async Task AttachAsync(string name, string port, string address, string mac)
    {
        await AddNamespaceAsync(name);
        await HostCommand.RunAsync("ip", "-n", name, "link", "add", HostInterface, "address", mac, "type", "veth", "peer", "name", port, "netns", BridgeNamespace);
        await HostCommand.RunAsync("ip", "-n", BridgeNamespace, "link", "set", port, "master", "br0");
        await HostCommand.RunAsync("ip", "-n", BridgeNamespace, "link", "set", port, "up");
        await HostCommand.RunAsync("ip", "-n", name, "addr", "add", address + "/24", "dev", HostInterface);
        await HostCommand.RunAsync("ip", "-n", name, "link", "set", HostInterface, "up");
    }
}
