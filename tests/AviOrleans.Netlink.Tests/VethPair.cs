using System.Security.Cryptography;

namespace AviOrleans.Netlink.Tests;

/// <summary>
/// Two fresh network namespaces joined by a veth pair: <see cref="LocalInterface"/> in <see cref="LocalNamespace"/>
/// (where the code under test works) and <see cref="PeerInterface"/> in <see cref="PeerNamespace"/> (the LAN).
/// Names are random so that parallel runs do not collide; DisposeAsync deletes both namespaces, which deletes the veth.
/// </summary>
public sealed class VethPair : IAsyncDisposable
{
    public const string LocalInterface = "vip0";
    public const string PeerInterface = "lan0";
    public const string LocalMac = "02:a0:00:00:00:01";
    public const string PeerMac = "02:a0:00:00:00:02";

    private VethPair(string suffix)
    {
        LocalNamespace = "avinl-" + suffix + "-a";
        PeerNamespace = "avinl-" + suffix + "-b";
    }

    public string LocalNamespace { get; }

    public string PeerNamespace { get; }

    public static async Task<VethPair> CreateAsync(bool up = true)
    {
        Privilege.RequireRoot();
        var pair = new VethPair(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            await HostCommand.RunAsync("ip", "netns", "add", pair.LocalNamespace);
            await HostCommand.RunAsync("ip", "netns", "add", pair.PeerNamespace);
            await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "add", LocalInterface, "address", LocalMac, "type", "veth", "peer", "name", PeerInterface, "address", PeerMac, "netns", pair.PeerNamespace);
            if (up)
            {
                await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", LocalInterface, "up");
                await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "link", "set", PeerInterface, "up");
            }

            await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", "lo", "up");
            await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "link", "set", "lo", "up");
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public NetworkNamespace Local => NetworkNamespace.FromName(LocalNamespace);

    public NetworkNamespace Peer => NetworkNamespace.FromName(PeerNamespace);

    public async ValueTask DisposeAsync()
    {
        await HostCommand.TryRunAsync("ip", "netns", "del", LocalNamespace);
        await HostCommand.TryRunAsync("ip", "netns", "del", PeerNamespace);
    }
}
