using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Netlink.Tests;

/// <summary>
/// Real echo requests and replies between two namespaces joined by a veth pair (TEST-NET-1 and 2001:db8::/32): the
/// peer namespace's kernel answers, as a next-hop router would.
/// </summary>
public sealed class IcmpEchoClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(AddressFamily.InterNetwork, IcmpSocketKind.Raw)]
    [InlineData(AddressFamily.InterNetwork, IcmpSocketKind.Datagram)]
    [InlineData(AddressFamily.InterNetworkV6, IcmpSocketKind.Raw)]
    [InlineData(AddressFamily.InterNetworkV6, IcmpSocketKind.Datagram)]
    public async Task Ping_PeerAnswers_RoundTripTime(AddressFamily family, IcmpSocketKind kind)
    {
        await using var pair = await ConnectedPairAsync();
        if (kind == IcmpSocketKind.Datagram)
        {
            // Unprivileged ping sockets: the namespace must admit the caller's group (root's, 0).
            await HostCommand.RunAsync("ip", "netns", "exec", pair.LocalNamespace, "sysctl", "-qw", "net.ipv4.ping_group_range=0 0");
        }

        using var client = IcmpEchoClient.Open(family, pair.Local, kind);

        var first = await client.PingAsync(PeerAddress(family), Timeout, Ct);
        var second = await client.PingAsync(PeerAddress(family), Timeout, Ct);

        Assert.Equal(kind, client.Kind);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.True(first < Timeout);
    }

    [Fact]
    public async Task Open_PingGroupRangeExcludesTheCaller_FallsBackToRaw()
    {
        await using var pair = await ConnectedPairAsync();

        using var client = IcmpEchoClient.Open(AddressFamily.InterNetwork, pair.Local);
        var ex = Assert.Throws<NetlinkPermissionException>(() => IcmpEchoClient.Open(AddressFamily.InterNetwork, pair.Local, IcmpSocketKind.Datagram));

        Assert.Equal(IcmpSocketKind.Raw, client.Kind);
        Assert.Contains("ping_group_range", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(await client.PingAsync(PeerAddress(AddressFamily.InterNetwork), Timeout, Ct));
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task Ping_PeerLinkDown_NoReplyUntilItComesBack(AddressFamily family)
    {
        await using var pair = await ConnectedPairAsync();
        using var client = IcmpEchoClient.Open(family, pair.Local);
        Assert.NotNull(await client.PingAsync(PeerAddress(family), Timeout, Ct));

        await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "link", "set", VethPair.PeerInterface, "down");
        var lost = await client.PingAsync(PeerAddress(family), TimeSpan.FromMilliseconds(300), Ct);
        await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "link", "set", VethPair.PeerInterface, "up");
        if (family == AddressFamily.InterNetworkV6)
        {
            // A link going down drops its IPv6 addresses (IPv4 ones stay).
            await HostCommand.TryRunAsync("ip", "-n", pair.PeerNamespace, "addr", "add", "2001:db8::2/64", "dev", VethPair.PeerInterface, "nodad");
            await HostCommand.TryRunAsync("ip", "-n", pair.LocalNamespace, "addr", "add", "2001:db8::1/64", "dev", VethPair.LocalInterface, "nodad");
        }

        var back = await RetryAsync(() => client.PingAsync(PeerAddress(family), TimeSpan.FromMilliseconds(500), Ct));

        Assert.Null(lost);
        Assert.NotNull(back);
    }

    [Fact]
    public async Task Ping_AddressNobodyHas_Null()
    {
        await using var pair = await ConnectedPairAsync();
        using var client = IcmpEchoClient.Open(AddressFamily.InterNetwork, pair.Local);

        Assert.Null(await client.PingAsync(IPAddress.Parse("192.0.2.3"), TimeSpan.FromMilliseconds(300), Ct));
    }

    [Fact]
    public async Task Ping_TwoClientsOnRawSockets_EachTakesOnlyItsOwnReplies()
    {
        await using var pair = await ConnectedPairAsync();
        using var a = IcmpEchoClient.Open(AddressFamily.InterNetwork, pair.Local, IcmpSocketKind.Raw);
        using var b = IcmpEchoClient.Open(AddressFamily.InterNetwork, pair.Local, IcmpSocketKind.Raw);

        // Both raw sockets see both replies; each must match its own by identifier and token.
        var both = await Task.WhenAll(
            a.PingAsync(PeerAddress(AddressFamily.InterNetwork), Timeout, Ct),
            b.PingAsync(PeerAddress(AddressFamily.InterNetwork), Timeout, Ct));

        Assert.All(both, rtt => Assert.NotNull(rtt));
    }

    private static IPAddress PeerAddress(AddressFamily family) =>
        IPAddress.Parse(family == AddressFamily.InterNetwork ? "192.0.2.2" : "2001:db8::2");

    private static async Task<TimeSpan?> RetryAsync(Func<Task<TimeSpan?>> ping)
    {
        for (var i = 0; i < 10; i++)
        {
            if (await ping() is { } rtt)
            {
                return rtt;
            }
        }

        return null;
    }

    private static async Task<VethPair> ConnectedPairAsync()
    {
        var pair = await VethPair.CreateAsync();
        try
        {
            await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "add", "192.0.2.1/24", "dev", VethPair.LocalInterface);
            await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "add", "2001:db8::1/64", "dev", VethPair.LocalInterface, "nodad");
            await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "addr", "add", "192.0.2.2/24", "dev", VethPair.PeerInterface);
            await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "addr", "add", "2001:db8::2/64", "dev", VethPair.PeerInterface, "nodad");
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }
}
