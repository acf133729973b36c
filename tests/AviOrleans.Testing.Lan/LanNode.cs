using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AviOrleans.Netlink;
using AviOrleans.Testing.Lan.Internal;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// One machine on the LAN: a network namespace with one interface, <see cref="InterfaceName"/>, whose veth peer is a
/// port of the LAN's bridge. Its address and MAC are fixed by its role (see <see cref="VirtualLan"/>), so ARP views
/// read the same in every run.
/// </summary>
public abstract class LanNode
{
    /// <summary>The interface every node has on the LAN.</summary>
    public const string InterfaceName = "eth0";

    private readonly Lazy<NetlinkRouteClient> _netlink;
    private NamespaceThread? _thread;

    private protected LanNode(VirtualLan lan, string name, IPAddress address)
    {
        Lan = lan;
        Name = name;
        Address = address;
        MacAddress = VirtualLan.MacFor(address);
        NamespaceName = lan.RunName.Namespace(name);
        Namespace = NetworkNamespace.FromName(NamespaceName);
        _netlink = new Lazy<NetlinkRouteClient>(() => NetlinkRouteClient.Open(Namespace), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The LAN it is on.</summary>
    public VirtualLan Lan { get; }

    /// <summary>Its name (se1, cli, store); also the name of its port on the bridge.</summary>
    public string Name { get; }

    /// <summary>Its own address on the LAN (/24).</summary>
    public IPAddress Address { get; }

    /// <summary>Its MAC, 02:00:00:00:00:NN where NN are the decimal digits of the address's last byte (192.0.2.11 has
    /// 02:00:00:00:00:11).</summary>
    public PhysicalAddress MacAddress { get; }

    /// <summary>The name of its network namespace (under /var/run/netns).</summary>
    public string NamespaceName { get; }

    /// <summary>Its namespace, for the netlink library (<see cref="NetlinkRouteClient.Open"/>, <see cref="NeighborAnnouncer.Open"/>).</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>The namespace's identity ("net:[INODE]"), as /proc/PID/ns/net shows it.</summary>
    public string NamespaceId => _thread?.NamespaceId ?? throw new InvalidOperationException("The node is not started.");

    /// <summary>A netlink client inside the node's namespace, opened on first use and kept (thread-safe).</summary>
    public NetlinkRouteClient Netlink => _netlink.Value;

    /// <summary>Creates a socket inside the node's namespace (a TCP client or listener "on" this machine).</summary>
    public Task<Socket> CreateSocketAsync(AddressFamily family = AddressFamily.InterNetwork, SocketType type = SocketType.Stream, ProtocolType protocol = ProtocolType.Tcp) =>
        (_thread ?? throw new InvalidOperationException("The node is not started.")).CreateSocketAsync(family, type, protocol);

    /// <summary>Opens a TCP connection from this node to <paramref name="endpoint"/> within <paramref name="timeout"/>
    /// and reads the first line the other side sends, if any, within the same bound. Never throws for network
    /// outcomes: they are the result.</summary>
    public async Task<ConnectResult> ConnectAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var socket = await CreateSocketAsync(endpoint.AddressFamily).ConfigureAwait(false);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        var connected = false;
        try
        {
            await socket.ConnectAsync(endpoint, bound.Token).ConfigureAwait(false);
            connected = true;
            var buffer = new byte[256];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, bound.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (Array.IndexOf(buffer, (byte)'\n', 0, length) >= 0)
                {
                    break;
                }
            }

            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, length).Trim();
            return new ConnectResult(ProbeOutcome.Answered, text, null);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ConnectResult(connected ? ProbeOutcome.Silent : ProbeOutcome.TimedOut, null, null);
        }
        catch (SocketException ex)
        {
            var outcome = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ProbeOutcome.Refused,
                SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown => ProbeOutcome.Unreachable,
                SocketError.ConnectionReset => ProbeOutcome.Reset,
                SocketError.TimedOut => ProbeOutcome.TimedOut,
                _ => ProbeOutcome.Failed,
            };
            return new ConnectResult(outcome, null, ex.SocketErrorCode.ToString());
        }
    }

    /// <summary>The addresses on <see cref="InterfaceName"/> and whether that link is up with carrier.</summary>
    public (bool LinkUp, IReadOnlyList<IPAddress> Addresses) ReadInterface()
    {
        var link = Netlink.FindLink(InterfaceName);
        if (link is null)
        {
            return (false, []);
        }

        var addresses = Netlink.ListAddresses().Where(a => a.InterfaceIndex == link.Index).Select(a => a.Address).ToList();
        return (link.HasCarrier, addresses);
    }

    /// <summary>Enters the namespace (the thread that creates sockets there) once it has its interface.</summary>
    internal virtual async Task StartAsync() => _thread = await NamespaceThread.StartAsync(NamespaceName).ConfigureAwait(false);

    /// <summary>Runs <c>ip -n NS ARGS</c>.</summary>
    internal Task<string> IpAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Command.RunAsync("ip", ["-n", NamespaceName, .. arguments], cancellationToken);

    /// <summary>Releases the namespace thread and the netlink client.</summary>
    internal virtual void Release()
    {
        if (_netlink.IsValueCreated)
        {
            _netlink.Value.Dispose();
        }

        _thread?.Dispose();
        _thread = null;
    }
}
