using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Netlink;
using AviOrleans.Netlink.Agent;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The host's addresses, for real: ownership orders drive a <see cref="VipAgent"/> on the interface named by
/// <see cref="DataPlaneOptions.VipInterface"/>, behind the self-fence (README.md).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Epochs per group: an order older than the last one applied for its group is refused and changes nothing; an
/// equal one is applied again (idempotent).</item>
/// <item>Every added address carries the mark (IFA_PROTO) and a kernel lifetime that the agent renews; new ones are
/// announced (gratuitous ARP / unsolicited NA). At start the agent removes every marked address (a crashed
/// predecessor's); it never touches an unmarked one, and turns on promote_secondaries before removing IPv4 addresses.</item>
/// <item>While the host is fenced, an order is recorded and nothing reaches the kernel: its removed addresses are
/// reported Removed, the rest Failed "added when the fence lifts". When the fence lifts (the store renewed the lease,
/// so no survivor has taken them: a takeover revokes the lease first) each group's current order, or the recorded
/// one, is applied. Only a host fenced for good refuses an order that adds.</item>
/// <item>Fencing itself does not wait for the agent: the fence thread deletes every marked address with sockets of
/// its own, and every later add is refused at the netlink level until the fence lifts.</item>
/// </list>
/// The agent is keyed by group; its own epochs are a local sequence, because group epochs may repeat after a fence
/// (an order re-applied unchanged), which the agent alone would refuse.
/// </remarks>
public sealed partial class NetlinkVipOwnership : IVipOwnership, IAsyncDisposable
{
    private readonly DataPlaneOptions _options;
    private readonly LivenessEvidence _fence;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly NetlinkHostNetwork _host;
    private readonly NetlinkRouteClient _fenceClient;
    private readonly NeighborAnnouncer _announcer;
    private readonly FencedHostNetwork _guarded;
    private readonly VipAgent _agent;
    /// <summary>How long a lifted fence waits for a group to say its current order before applying the recorded one.</summary>
    private static readonly TimeSpan GroupAnswerTimeout = TimeSpan.FromSeconds(2);

    private readonly GroupOrders? _groups;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<HostFenceState> _fenceChanges = Channel.CreateUnbounded<HostFenceState>(new UnboundedChannelOptions { SingleReader = true });
    private ImmutableDictionary<string, OwnershipOrder> _applied = ImmutableDictionary.Create<string, OwnershipOrder>(StringComparer.Ordinal);
    private long _sequence;
    private int _disposed;
    private Task? _fenceLoop;

    internal NetlinkVipOwnership(DataPlaneOptions options, LivenessEvidence fence, TimeProvider timeProvider, ILoggerFactory loggerFactory, GroupOrders? groups = null)
    {
        _groups = groups;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.VipInterface);
        _options = options;
        _fence = fence;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<NetlinkVipOwnership>();
        var networkNamespace = options.NetworkNamespace is { } name ? Netlink.NetworkNamespace.FromName(name) : Netlink.NetworkNamespace.Current;
        _host = new NetlinkHostNetwork(networkNamespace, timeProvider: timeProvider);
        try
        {
            _fenceClient = NetlinkRouteClient.Open(networkNamespace);
            _announcer = NeighborAnnouncer.Open(networkNamespace);
        }
        catch
        {
            _fenceClient?.Dispose();
            _host.Dispose();
            throw;
        }

        _guarded = new FencedHostNetwork(_host, fence, _announcer, new AnnouncementOptions(), timeProvider);
        _agent = new VipAgent(
            _guarded,
            new VipAgentOptions
            {
                AddressProtocol = options.AddressProtocol,
                AddressLifetime = options.AddressLifetime,
                ReconcileInterval = options.ReconcileInterval,
            },
            timeProvider,
            loggerFactory.CreateLogger<VipAgent>());
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, OwnershipOrder> Applied => Volatile.Read(ref _applied);

    /// <summary>The agent's view after its last reconcile (for reports and tests).</summary>
    public VipAgentSnapshot Snapshot => _agent.Snapshot;

    /// <inheritdoc/>
    public async Task<OwnershipAck> ApplyAsync(OwnershipOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (Validate(order) is { } invalid)
        {
            Log.OrderInvalid(_logger, order.SeGroup, order.Epoch, invalid);
            return Refused(order, invalid);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var applied = Applied;
            applied.TryGetValue(order.SeGroup, out var previous);
            if (previous is not null && order.Epoch < previous.Epoch)
            {
                Log.OrderStale(_logger, order.SeGroup, order.Epoch, previous.Epoch);
                return Refused(order, $"Epoch {order.Epoch} is older than epoch {previous.Epoch}, applied for group '{order.SeGroup}'.");
            }

            var before = previous?.Addresses.Select(a => a.Address).ToHashSet(StringComparer.Ordinal) ?? [];
            var removed = before.Where(a => !order.Addresses.Any(o => o.Address == a)).ToList();
            var fence = _fence.State;
            if (fence.IsFenced)
            {
                var adds = order.Addresses.Any(a => !before.Contains(a.Address));
                if (adds && _fence.IsFencedForGood)
                {
                    Log.OrderRefusedFenced(_logger, order.SeGroup, order.Epoch, fence.Reason);
                    return Refused(order, $"The host is fenced for good ({fence.Reason}): it adds no address again.");
                }

                // Recorded, not applied: the fence-follower applies the recorded orders when the store lifts the fence
                // (E5). Refusing an order that adds would lose it, since the group does not send it again; accepting it
                // makes the group count these addresses as this SE's, so it removes them here first (or waits for the
                // gate, which revokes the lease and so keeps the fence from lifting) before giving them to anyone else.
                Record(order);
                if (adds)
                {
                    Log.OrderKeptForLift(_logger, order.SeGroup, order.Epoch, order.Addresses.Length, fence.Reason);
                }

                return new OwnershipAck(order.SeGroup, order.Epoch, true, null, [
                    .. removed.Select(a => new AddressOutcome(a, AddressAction.Removed, null, null, null)),
                    .. order.Addresses.Select(a => new AddressOutcome(a.Address, AddressAction.Failed, null, null, $"Not on the host while it is fenced ({fence.Reason}); added when the fence lifts.")),
                ]);
            }

            var started = _timeProvider.GetUtcNow();
            VipOrderResult result;
            try
            {
                result = await _agent.ApplyAsync(ToVipOrder(order), cancellationToken).ConfigureAwait(false);
            }
            catch (VipConflictException ex)
            {
                Log.OrderConflict(_logger, order.SeGroup, order.Epoch, ex.Message);
                return Refused(order, ex.Message);
            }

            Record(order);
            var owned = _agent.Snapshot.OwnedAddresses;
            var outcomes = ImmutableArray.CreateBuilder<AddressOutcome>();
            foreach (var address in order.Addresses)
            {
                var ip = IPAddress.Parse(address.Address);
                var status = result.Vips.FirstOrDefault(v => v.Binding.Address.Equals(ip));
                outcomes.Add(status switch
                {
                    { State: VipState.Owned } when _guarded.AddedAt(ip) is { } at && at >= started =>
                        new AddressOutcome(address.Address, AddressAction.Added, at, _guarded.AnnouncedAt(ip) is { } announced && announced >= started ? announced : null, null),
                    { State: VipState.Owned } => new AddressOutcome(address.Address, AddressAction.Kept, null, null, null),
                    null => new AddressOutcome(address.Address, AddressAction.Failed, null, null, "The agent reported nothing for this address."),
                    _ => new AddressOutcome(address.Address, AddressAction.Failed, null, null, $"{status.State}: {status.Error}"),
                });
            }

            foreach (var address in removed)
            {
                var ip = IPAddress.Parse(address);
                outcomes.Add(owned.Any(o => o.Address.Equals(ip))
                    ? new AddressOutcome(address, AddressAction.Failed, null, null, "Still configured on the host after the order.")
                    : new AddressOutcome(address, AddressAction.Removed, null, null, null));
            }

            Log.OrderApplied(_logger, order.SeGroup, order.Epoch, order.Addresses.Length, removed.Count);
            return new OwnershipAck(order.SeGroup, order.Epoch, true, null, outcomes.ToImmutable());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Disposed by its owner and by the container that handed it out as IVipOwnership.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _fence.Changed -= OnFenceChanged;
        _fenceChanges.Writer.TryComplete();
        if (_fenceLoop is not null)
        {
            await _fenceLoop.ConfigureAwait(false);
        }

        await _agent.DisposeAsync().ConfigureAwait(false);
        await _guarded.DisposeAsync().ConfigureAwait(false);
        _announcer.Dispose();
        _fenceClient.Dispose();
        _host.Dispose();
        _gate.Dispose();
    }

    /// <summary>Reconciles once (every marked address goes: nothing is owned yet) and starts the agent.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var link = await _host.FindLinkAsync(_options.VipInterface!, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            // Not fatal: the agent adds the addresses once the interface appears, and says so per address.
            Log.InterfaceMissing(_logger, _options.VipInterface!, _options.NetworkNamespace ?? "the silo's own namespace");
        }

        await _agent.StartAsync(cancellationToken).ConfigureAwait(false);
        _fence.Changed += OnFenceChanged;
        _fenceLoop = Task.Run(FollowFenceAsync, CancellationToken.None);
        Log.Started(_logger, _options.VipInterface!, _options.AddressProtocol, _options.AddressLifetime);
    }

    /// <summary>
    /// The fence action, on the fence thread: deletes every marked address with this instance's own rtnetlink socket
    /// (the agent may be busy), turning on promote_secondaries first so that no unmarked secondary goes with a primary.
    /// </summary>
    internal void WithdrawAll()
    {
        foreach (var failed in MarkedAddresses.Withdraw(_fenceClient, _options.AddressProtocol).Where(r => !r.Succeeded))
        {
            Log.WithdrawFailed(_logger, failed.Request.ToString(), failed.Error);
        }
    }

    private void OnFenceChanged(HostFenceState state) => _fenceChanges.Writer.TryWrite(state);

    /// <summary>Follows the fence in order: fenced, the agent forgets its orders; lifted, the recorded orders come back.</summary>
    private async Task FollowFenceAsync()
    {
        await foreach (var state in _fenceChanges.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (state.IsFenced)
                {
                    await _agent.FenceAsync().ConfigureAwait(false);
                }
                else if (!_fence.State.IsFenced)
                {
                    foreach (var recorded in Applied.Values.Where(o => !o.Addresses.IsDefaultOrEmpty))
                    {
                        var order = await CurrentOrderAsync(recorded).ConfigureAwait(false);
                        Record(order);
                        await _agent.ApplyAsync(ToVipOrder(order)).ConfigureAwait(false);
                        Log.Reapplied(_logger, order.SeGroup, order.Epoch, order.Addresses.Length);
                    }
                }
            }
            catch (Exception ex) when (ex is NetlinkException or VipConflictException or InvalidOperationException)
            {
                Log.FollowFenceFailed(_logger, ex);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// The group's current order for this SE when the group answers (it may have moved on while the host was fenced),
    /// else the recorded one: applying that is safe, because the fence lifted through the store, so no survivor took
    /// these addresses (a takeover revokes the lease first), and a move to a live SE waits for this host's removal.
    /// </summary>
    private async Task<OwnershipOrder> CurrentOrderAsync(OwnershipOrder recorded)
    {
        if (_groups is null)
        {
            return recorded;
        }

        try
        {
            var current = await _groups.CurrentAsync(recorded.SeGroup).WaitAsync(GroupAnswerTimeout, _timeProvider).ConfigureAwait(false);
            return current is null ? recorded with { Addresses = [] }
                : current.Epoch >= recorded.Epoch && Validate(current) is null ? current
                : recorded;
        }
        catch (Exception ex) when (ex is Orleans.Runtime.OrleansException or TimeoutException)
        {
            Log.GroupUnreachable(_logger, recorded.SeGroup, ex);
            return recorded;
        }
    }

    private VipOrder ToVipOrder(OwnershipOrder order) => new(
        order.SeGroup,
        Interlocked.Increment(ref _sequence),
        [.. order.Addresses.Select(a => new VipBinding(IPAddress.Parse(a.Address), a.PrefixLength, _options.VipInterface!))]);

    private void Record(OwnershipOrder order) => Volatile.Write(ref _applied, _applied.SetItem(order.SeGroup, order));

    private static OwnershipAck Refused(OwnershipOrder order, string reason) => new(order.SeGroup, order.Epoch, false, reason, []);

    /// <summary>Why the order cannot be applied as given, or null.</summary>
    internal static string? Validate(OwnershipOrder order)
    {
        if (string.IsNullOrWhiteSpace(order.SeGroup))
        {
            return "The order names no group.";
        }

        if (order.Epoch < 0)
        {
            return $"Epoch {order.Epoch} is negative.";
        }

        if (order.Addresses.IsDefault)
        {
            return "The order has no address list.";
        }

        var seen = new HashSet<IPAddress>();
        foreach (var address in order.Addresses)
        {
            // IPAddress.TryParse also takes shorthands such as "10.1" (10.0.0.1) and scoped IPv6: only full literals pass.
            if (address is null || !IPAddress.TryParse(address.Address, out var ip) || ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.ScopeId != 0
                || ip.AddressFamily == AddressFamily.InterNetwork && address.Address.Count(c => c == '.') != 3
                || ip.AddressFamily == AddressFamily.InterNetworkV6 && !address.Address.Contains(':', StringComparison.Ordinal))
            {
                return $"'{address?.Address}' is not an IPv4 or IPv6 address literal.";
            }

            var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            if (address.PrefixLength < 1 || address.PrefixLength > max)
            {
                return $"Prefix length {address.PrefixLength} of {address.Address} is not between 1 and {max}.";
            }

            if (ip.IsIPv6LinkLocal || IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            {
                return $"{address.Address} cannot be a floating address (loopback, link-local or unspecified).";
            }

            if (!seen.Add(ip))
            {
                return $"{address.Address} appears twice in the order.";
            }
        }

        return null;
    }
}
