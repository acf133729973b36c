using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using AviOrleans.Testing.Lan.Internal;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// A LAN of network namespaces on one machine, for proving VIP failover for real:
/// <code>
///  NAME-se1   eth0 192.0.2.11/24 02:00:00:00:00:11   banner on :8080 answers "se1"
///  NAME-se2   eth0 192.0.2.12/24 02:00:00:00:00:12   banner on :8080 answers "se2"
///  NAME-cli   eth0 192.0.2.50/24 02:00:00:00:00:50   probes, ARP view
///  NAME-store eth0 192.0.2.2/24  02:00:00:00:00:02   relays :5432 to the PostgreSQL of scripts/test.sh
///      \________________ veth pairs ________________/
///  NAME-sw    br0 (stp off, forward_delay 0, mcast_snooping 0); ports named after the nodes;
///             nftables bridge rules here cut a host off (partition)
///  VIPs: 192.0.2.100 and up (<see cref="Vip"/>), added by whatever system is under test
/// </code>
/// Even the bridge lives in a namespace of its own, so a LAN leaves nothing in the root namespace: no interface name
/// to collide with another run, no route that conflicts with another LAN using the same addresses. Every name carries
/// the owner's PID and start time (<see cref="LanRunName"/>); <see cref="StartAsync"/> first removes what crashed runs
/// left (<see cref="LanJanitor"/>), and <see cref="DisposeAsync"/> kills every process it started, by PID, and deletes
/// every namespace. Needs root.
/// </summary>
public sealed class VirtualLan : IAsyncDisposable
{
    /// <summary>The switch's node name (its namespace holds the bridge).</summary>
    public const string SwitchName = "sw";

    /// <summary>The store's node name.</summary>
    public const string StoreName = "store";

    /// <summary>The LAN's prefix length (192.0.2.0/24, TEST-NET-1).</summary>
    public const int PrefixLength = 24;

    private readonly List<string> _namespaces = [];
    private readonly List<LanNode> _nodes = [];
    private bool _disposed;

    private VirtualLan(LanOptions options, LanRunName runName)
    {
        Options = options;
        RunName = runName;
        WorkDirectory = Path.Combine(Path.GetTempPath(), runName.ToString());
        Hosts = options.Hosts.Select((name, i) => new LanHost(this, name, HostAddress(i))).ToList();
        Clients = options.Clients.Select((name, i) => new LanClient(this, name, ClientAddress(i))).ToList();
        Store = new LanStore(this, StoreName, StoreAddress, options.StorePort, string.IsNullOrWhiteSpace(options.StoreConnectionString) ? null : options.StoreConnectionString);
        _nodes.Add(Store);
        _nodes.AddRange(Hosts);
        _nodes.AddRange(Clients);
    }

    /// <summary>The store's address.</summary>
    public static IPAddress StoreAddress { get; } = IPAddress.Parse("192.0.2.2");

    /// <summary>The options it was built with.</summary>
    public LanOptions Options { get; }

    /// <summary>Its name; every namespace is <c>NAME-NODE</c>.</summary>
    public LanRunName RunName { get; }

    /// <summary>A folder of its own (configuration files of the systems under test, pid files), deleted with it.</summary>
    public string WorkDirectory { get; }

    /// <summary>The SE hosts.</summary>
    public IReadOnlyList<LanHost> Hosts { get; }

    /// <summary>The clients.</summary>
    public IReadOnlyList<LanClient> Clients { get; }

    /// <summary>The first client.</summary>
    public LanClient Client => Clients[0];

    /// <summary>The store.</summary>
    public LanStore Store { get; }

    /// <summary>The VIPs' service port (the banners').</summary>
    public int ServicePort => Options.ServicePort;

    /// <summary>Every namespace of the LAN (the switch's first).</summary>
    public IReadOnlyList<string> Namespaces => [RunName.Namespace(SwitchName), .. _nodes.Select(n => n.NamespaceName)];

    /// <summary>The switch's namespace.</summary>
    internal string SwitchNamespace => RunName.Namespace(SwitchName);

    /// <summary>The address of host <paramref name="index"/> (0-based): 192.0.2.11 and up.</summary>
    public static IPAddress HostAddress(int index) => Address(11 + index, 0, 29, index);

    /// <summary>The address of client <paramref name="index"/> (0-based): 192.0.2.50 and up.</summary>
    public static IPAddress ClientAddress(int index) => Address(50 + index, 0, 8, index);

    /// <summary>VIP number <paramref name="index"/> (0-based): 192.0.2.100 and up, at most 100 of them.</summary>
    public static IPAddress Vip(int index) => Address(100 + index, 0, 99, index);

    /// <summary>The fixed MAC of a node address: 02:00:00:00:00:NN, NN being the last byte's decimal digits (so
    /// 192.0.2.11 has 02:00:00:00:00:11 and an ARP table reads like the address plan).</summary>
    public static PhysicalAddress MacFor(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var last = address.GetAddressBytes()[^1];
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, (byte)99);
        return new PhysicalAddress([0x02, 0, 0, 0, 0, (byte)(((last / 10) << 4) | (last % 10))]);
    }

    /// <summary>The host of that name.</summary>
    public LanHost Host(string name) => Hosts.FirstOrDefault(h => h.Name == name) ?? throw new ArgumentException($"No host named '{name}'.", nameof(name));

    /// <summary>The node whose MAC that is (host, client or store), or null.</summary>
    public LanNode? NodeWithMac(PhysicalAddress mac) => _nodes.FirstOrDefault(n => n.MacAddress.Equals(mac));

    /// <summary>Builds the LAN: removes stale leftovers, makes the namespaces, the bridge and the veths, starts the store's
    /// relay and (by default) every host's banner. Throws <see cref="LanException"/> when the machine lacks root or
    /// iproute2, after undoing whatever it made.</summary>
    public static async Task<VirtualLan> StartAsync(LanOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LanOptions();
        options.Validate();
        LanPrerequisites.ThrowIfMissing(LanPrerequisites.Ip);
        await LanJanitor.RemoveStaleAsync(cancellationToken).ConfigureAwait(false);
        var lan = new VirtualLan(options, LanRunName.New());
        try
        {
            await lan.BuildAsync(cancellationToken).ConfigureAwait(false);
            return lan;
        }
        catch
        {
            await lan.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills every process the LAN started (by PID, trees included), stops the store's relay, deletes every
    /// namespace (with its links) and the work folder. Throws when something could not be removed, after trying all.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var failures = new List<Exception>();
        foreach (var host in Hosts)
        {
            try
            {
                await host.StopProcessesAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is LanException or AggregateException)
            {
                failures.Add(ex);
            }
        }

        foreach (var node in _nodes)
        {
            node.Release();
        }

        foreach (var name in Enumerable.Reverse(_namespaces))
        {
            try
            {
                await LanJanitor.KillProcessesInAsync(name, CancellationToken.None).ConfigureAwait(false);
                await Command.RunAsync("ip", ["netns", "del", name], CancellationToken.None).ConfigureAwait(false);
            }
            catch (LanException ex)
            {
                failures.Add(ex);
            }
        }

        try
        {
            if (Directory.Exists(WorkDirectory))
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
        }
        catch (IOException ex)
        {
            failures.Add(ex);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"LAN {RunName} was not removed completely.", failures);
        }
    }

    private static IPAddress Address(int last, int min, int max, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, max);
        return new IPAddress([192, 0, 2, (byte)last]);
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(WorkDirectory);
        foreach (var name in Namespaces)
        {
            await Command.RunAsync("ip", ["netns", "add", name], cancellationToken).ConfigureAwait(false);
            _namespaces.Add(name);
        }

        // The switch: the bridge and one veth pair per node, the node's end moved into its namespace as eth0 with its
        // fixed MAC. One `ip -batch` per namespace keeps the number of processes small.
        var bridge = new StringBuilder()
            .AppendLine("link set lo up")
            .AppendLine("link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0")
            .AppendLine("link set br0 up");
        foreach (var node in _nodes)
        {
            bridge.AppendLine(CultureInfo.InvariantCulture, $"link add {node.Name} type veth peer name {LanNode.InterfaceName} netns {node.NamespaceName} address {Mac(node.MacAddress)}");
            bridge.AppendLine(CultureInfo.InvariantCulture, $"link set {node.Name} master br0 up");
        }

        await Command.RunAsync("ip", ["-n", SwitchNamespace, "-batch", "-"], cancellationToken, bridge.ToString()).ConfigureAwait(false);
        foreach (var node in _nodes)
        {
            var setup = new StringBuilder()
                .AppendLine("link set lo up")
                .AppendLine(CultureInfo.InvariantCulture, $"addr add {node.Address}/{PrefixLength} dev {LanNode.InterfaceName}")
                .AppendLine(CultureInfo.InvariantCulture, $"link set {LanNode.InterfaceName} up");
            await Command.RunAsync("ip", ["-n", node.NamespaceName, "-batch", "-"], cancellationToken, setup.ToString()).ConfigureAwait(false);
            await node.StartAsync().ConfigureAwait(false);
        }

        await Store.StartRelayAsync().ConfigureAwait(false);
        if (Options.StartBanners)
        {
            await Task.WhenAll(Hosts.Select(h => h.EnsureBannerAsync(cancellationToken))).ConfigureAwait(false);
        }
    }

    private static string Mac(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
