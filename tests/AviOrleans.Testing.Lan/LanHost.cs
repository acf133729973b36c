using System.Globalization;
using System.Net;
using AviOrleans.Netlink;
using AviOrleans.Testing.Lan.Internal;
using Tmds.Linux;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// An SE host: its own network namespace on the LAN, the processes the harness started in it (the banner service, and
/// whatever a scenario starts: keepalived, a silo), and the faults that can hit it (freeze, partition). Processes are
/// tracked by PID and killed by PID.
/// </summary>
public sealed class LanHost : LanNode
{
    private readonly Lock _lock = new();
    private readonly List<LanProcess> _processes = [];
    private NeighborAnnouncer? _announcer;
    private IReadOnlyList<int> _frozen = [];

    internal LanHost(VirtualLan lan, string name, IPAddress address)
        : base(lan, name, address)
    {
    }

    /// <summary>The banner service (answers <see cref="VirtualLan.ServicePort"/> with the host's name), when started.</summary>
    public LanProcess? Banner { get; private set; }

    /// <summary>Every process the harness started on this host, in start order (exited ones included).</summary>
    public IReadOnlyList<LanProcess> Processes
    {
        get
        {
            lock (_lock)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>True between <see cref="FreezeAsync"/> and <see cref="ThawAsync"/>.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>True between <see cref="PartitionAsync"/> and <see cref="HealAsync"/>.</summary>
    public bool IsPartitioned { get; private set; }

    /// <summary>Starts <paramref name="file"/> inside this host's namespace and tracks it.</summary>
    public LanProcess StartProcess(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        ArgumentNullException.ThrowIfNull(arguments);
        var process = LanProcess.Start(this, file, arguments, environment);
        lock (_lock)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Starts the banner service unless it is running, and waits until it listens.</summary>
    public async Task<LanProcess> EnsureBannerAsync(CancellationToken cancellationToken = default)
    {
        if (Banner is { HasExited: false } running)
        {
            return running;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "AviOrleans.Testing.Lan.Banner");
        if (!File.Exists(path))
        {
            throw new LanException($"The banner service {path} is missing: reference tests/AviOrleans.Testing.Lan so that it is built next to the caller.");
        }

        var banner = StartProcess(path, [
            "--name", Name,
            "--port", Lan.ServicePort.ToString(CultureInfo.InvariantCulture),
            "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        ], new Dictionary<string, string>
        {
            // A small, quiet process: it answers a few hundred connections a second at most.
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_GCgen0size"] = "0x400000",
            ["DOTNET_TieredPGO"] = "0",
        });
        Banner = banner;
        await banner.WaitForOutputAsync(l => l.Text.StartsWith("listening ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return banner;
    }

    /// <summary>Adds <paramref name="vip"/> to <see cref="LanNode.InterfaceName"/> by hand (netlink), as an SE would;
    /// already present is fine. With <paramref name="announce"/> one gratuitous ARP (request form) follows at once.</summary>
    public void AddVip(IPAddress vip, int prefixLength = 32, bool announce = true)
    {
        ArgumentNullException.ThrowIfNull(vip);
        Netlink.AddAddress(new AddressRequest(vip, prefixLength, InterfaceName));
        if (announce)
        {
            Announce(vip);
        }
    }

    /// <summary>Sends one gratuitous ARP (IPv4, request form) or unsolicited NA (IPv6) for <paramref name="vip"/> from this host.</summary>
    public void Announce(IPAddress vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        var link = Netlink.GetLink(InterfaceName);
        if (vip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            Announcer.SendUnsolicitedNeighborAdvertisement(link, vip);
        }
        else
        {
            Announcer.SendGratuitousArp(link, vip, GratuitousArpForm.Request);
        }
    }

    /// <summary>Removes <paramref name="vip"/> from <see cref="LanNode.InterfaceName"/>, whatever its prefix length
    /// (keepalived adds /24, the harness /32); absent is fine.</summary>
    public void RemoveVip(IPAddress vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        foreach (var address in Netlink.ListAddresses().Where(a => a.InterfaceName == InterfaceName && a.Address.Equals(vip)))
        {
            Netlink.DeleteAddress(new AddressRequest(vip, address.PrefixLength, InterfaceName));
        }
    }

    /// <summary>Every process on this host: those the harness started, their descendants, and anything else whose
    /// network namespace is this host's (never the harness's own process).</summary>
    public IReadOnlyList<int> ProcessIds()
    {
        var pids = new HashSet<int>(LinuxProcesses.InNetworkNamespace(NamespaceId));
        foreach (var process in Processes)
        {
            pids.UnionWith(process.ProcessTree());
        }

        pids.Remove(Environment.ProcessId);
        return [.. pids.Order()];
    }

    /// <summary>
    /// The fault "the host freezes": SIGSTOP every process on it (<see cref="ProcessIds"/>, listed before
    /// <see cref="FaultWindow.Started"/>), then take <see cref="LanNode.InterfaceName"/> down (written to an
    /// <c>ip -batch -</c> started before the window, so only its netlink request falls inside). Nothing on the host runs or answers, ARP included,
    /// until <see cref="ThawAsync"/>. Addresses stay configured, as on a hung machine.
    /// </summary>
    public async Task<FaultWindow> FreezeAsync(CancellationToken cancellationToken = default)
    {
        if (IsFrozen)
        {
            throw new InvalidOperationException($"{Name} is already frozen.");
        }

        // List the processes first: `ip -n` enters the namespace, and must not be frozen with the host.
        var pids = ProcessIds();
        using var linkDown = PreparedCommand.Start("ip", ["-n", NamespaceName, "-batch", "-"]);
        var started = LanTime.Now;
        foreach (var pid in pids)
        {
            LinuxProcesses.Signal(pid, LibC.SIGSTOP);
        }

        _frozen = pids;
        IsFrozen = true;
        await linkDown.CommitAsync($"link set dev {InterfaceName} down\n", cancellationToken).ConfigureAwait(false);
        return new FaultWindow(started, LanTime.Now);
    }

    /// <summary>Undoes <see cref="FreezeAsync"/>: the link comes up, then every frozen process gets SIGCONT.</summary>
    public async Task ThawAsync(CancellationToken cancellationToken = default)
    {
        if (!IsFrozen)
        {
            return;
        }

        await IpAsync(cancellationToken, "link", "set", "dev", InterfaceName, "up").ConfigureAwait(false);
        foreach (var pid in _frozen)
        {
            LinuxProcesses.Signal(pid, LibC.SIGCONT);
        }

        _frozen = [];
        IsFrozen = false;
    }

    /// <summary>
    /// The fault "the host is cut off from its peers and the store, while clients still reach it": an nftables table in
    /// the bridge family, inside the switch's namespace, drops every frame the bridge would forward between this host's
    /// port and any port but the clients' (unicast, broadcast such as ARP, and multicast such as VRRP adverts alike).
    /// Nothing changes inside the host: the network, not the machine, is split.
    /// </summary>
    public async Task<FaultWindow> PartitionAsync(CancellationToken cancellationToken = default)
    {
        if (IsPartitioned)
        {
            throw new InvalidOperationException($"{Name} is already partitioned.");
        }

        var clients = string.Join(", ", Lan.Clients.Select(c => $"\"{c.Name}\""));
        var rules = $$"""
            table bridge {{PartitionTable}} {
              chain forward {
                type filter hook forward priority 0; policy accept;
                iifname "{{Name}}" oifname != { {{clients}} } drop
                oifname "{{Name}}" iifname != { {{clients}} } drop
              }
            }
            """;
        using var nft = PreparedCommand.Start("ip", ["netns", "exec", Lan.SwitchNamespace, "nft", "-f", "-"]);
        var started = LanTime.Now;
        await nft.CommitAsync(rules + "\n", cancellationToken).ConfigureAwait(false);
        IsPartitioned = true;
        return new FaultWindow(started, LanTime.Now);
    }

    /// <summary>Undoes <see cref="PartitionAsync"/> (deletes the table).</summary>
    public async Task HealAsync(CancellationToken cancellationToken = default)
    {
        if (!IsPartitioned)
        {
            return;
        }

        await Command.RunAsync("ip", ["netns", "exec", Lan.SwitchNamespace, "nft", "delete", "table", "bridge", PartitionTable], cancellationToken).ConfigureAwait(false);
        IsPartitioned = false;
    }

    /// <summary>Kills every tracked process tree and then anything else left in the namespace, by PID.</summary>
    internal async Task StopProcessesAsync(CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var process in Processes)
        {
            try
            {
                await process.StopAsync().ConfigureAwait(false);
            }
            catch (LanException ex)
            {
                failures.Add(ex);
            }
        }

        await LanJanitor.KillProcessesInAsync(NamespaceName, cancellationToken).ConfigureAwait(false);
        _frozen = [];
        IsFrozen = false;
        if (failures.Count > 0)
        {
            throw new AggregateException($"Processes on {Name} did not stop.", failures);
        }
    }

    /// <inheritdoc/>
    internal override async Task StartAsync()
    {
        await base.StartAsync().ConfigureAwait(false);
        // Opened once, with the host: opening a packet socket in a namespace costs a thread start, which a measured
        // VIP move must not include.
        _announcer = NeighborAnnouncer.Open(Namespace);
    }

    /// <inheritdoc/>
    internal override void Release()
    {
        _announcer?.Dispose();
        _announcer = null;
        base.Release();
    }

    private NeighborAnnouncer Announcer => _announcer ?? throw new InvalidOperationException($"{Name} is not started.");

    private string PartitionTable => "partition_" + Name.Replace('-', '_');
}
