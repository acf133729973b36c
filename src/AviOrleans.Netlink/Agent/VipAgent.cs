using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AviOrleans.Netlink.Agent;

/// <summary>
/// Owns this host's VIPs: takes the desired set per virtual service (orders with epochs) and keeps the host's
/// addresses equal to it.
/// </summary>
/// <remarks>
/// <para>Rules (DESIGN.md, "VIP safety"):</para>
/// <list type="bullet">
/// <item>Every address the agent adds carries its mark (<see cref="VipAgentOptions.AddressProtocol"/>, IFA_PROTO).
/// A marked address that no order wants is removed; an unmarked address is never touched, not even when it has a
/// desired VIP's value (that VIP is then reported <see cref="VipState.HeldByOther"/>).</item>
/// <item>An order whose epoch is older than the last one applied for its virtual service is rejected and changes
/// nothing. After <see cref="FenceAsync"/> only orders with a newer epoch than the one in force are accepted.</item>
/// <item><see cref="StartAsync"/> reconciles before anything else, so a crashed predecessor's marked VIPs go away.</item>
/// <item>A desired VIP that disappears (someone deleted it, its link went down and IPv6 dropped it, the kernel
/// lifetime ran out) is added again at the next reconcile: at once on the rtnetlink notification, and at the latest
/// after <see cref="VipAgentOptions.ReconcileInterval"/>.</item>
/// <item>New VIPs are announced (gratuitous ARP / unsolicited NA), and again when their link comes back up.</item>
/// <item>With <see cref="VipAgentOptions.AddressLifetime"/> the kernel drops the VIPs of an agent that stops renewing
/// them; each timer tick renews them in place.</item>
/// </list>
/// <para>All changes to the host happen one reconcile at a time; orders and fencing wait for the reconcile they cause,
/// so when <see cref="ApplyAsync"/> returns the host matches the order (or its VIPs say why not).</para>
/// <para>Disposing the agent stops its timer and listener and leaves the addresses as they are: a graceful stop that
/// must hand VIPs over calls <see cref="FenceAsync"/> first.</para>
/// </remarks>
public sealed partial class VipAgent : IAsyncDisposable
{
    private readonly IHostNetwork _host;
    private readonly VipAgentOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, VipOrder> _desired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastEpoch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fencedEpoch = new(StringComparer.Ordinal);
    private readonly HashSet<string> _linksToAnnounce = new(StringComparer.Ordinal);
    private readonly HashSet<string> _linksWithCarrier = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private VipAgentSnapshot _snapshot = new([], [], false, null);
    private ITimer? _timer;
    private Task? _reconcileLoop;
    private Task? _watchLoop;
    private bool _started;
    private bool _fenced;
    private bool _disposed;

    /// <summary>Creates the agent; it does nothing until <see cref="StartAsync"/>.</summary>
    public VipAgent(IHostNetwork host, VipAgentOptions options, TimeProvider? timeProvider = null, ILogger<VipAgent>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new VipAgentOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException("Invalid VIP agent options: " + validation.FailureMessage, nameof(options));
        }

        _host = host;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The agent's view after its last reconcile.</summary>
    public VipAgentSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>
    /// Reconciles once (removing every marked address, since nothing is desired yet), then starts listening to
    /// address and link changes and starts the reconcile/renewal timer.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            throw new InvalidOperationException("The VIP agent is already started.");
        }

        if (_stopping.IsCancellationRequested)
        {
            throw new InvalidOperationException("This VIP agent failed to start; create a new one.");
        }

        // Subscribe before the start-up reconcile reads the host, so that no change falls between the two.
        var subscription = Subscribe(_stopping.Token);
        try
        {
            await RunReconcileAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Stop listening; the agent cannot be started again (its stopping token is spent).
            await _stopping.CancelAsync().ConfigureAwait(false);
            try
            {
                await subscription.First.ConfigureAwait(false);
            }
            catch (Exception drained) when (drained is OperationCanceledException or NetlinkException or IOException)
            {
                // The start-up error is the one the caller needs; the listener's own end is not news.
            }

            await subscription.Enumerator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _started = true;
        _watchLoop = Task.Run(() => WatchAsync(subscription, _stopping.Token), CancellationToken.None);
        _reconcileLoop = Task.Run(() => ReconcileLoopAsync(_stopping.Token), CancellationToken.None);
        var period = _options.TimerPeriod;
        _timer = _timeProvider.CreateTimer(static state => ((VipAgent)state!).Wake(), this, period, period);
        Log.Started(_logger, _options.AddressProtocol, period);
    }

    /// <summary>
    /// Makes <paramref name="order"/> the desired state of its virtual service (unless its epoch is stale) and
    /// reconciles the host. Throws <see cref="VipConflictException"/>, changing nothing, when one of its VIPs is wanted
    /// by another virtual service.
    /// </summary>
    public async Task<VipOrderResult> ApplyAsync(VipOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started)
        {
            throw new InvalidOperationException("Start the VIP agent before giving it orders: the start-up reconcile must run first.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var vs = order.VirtualServiceId;
            if (_lastEpoch.TryGetValue(vs, out var last) && order.Epoch < last
                || _fencedEpoch.TryGetValue(vs, out var fenced) && order.Epoch <= fenced)
            {
                var inForce = _lastEpoch.GetValueOrDefault(vs);
                Log.StaleOrderRejected(_logger, vs, order.Epoch, inForce);
                return new VipOrderResult(VipOrderOutcome.RejectedStaleEpoch, inForce, StatusesOf(vs));
            }

            foreach (var other in _desired.Values)
            {
                if (other.VirtualServiceId == vs)
                {
                    continue;
                }

                var clash = other.Vips.FirstOrDefault(v => order.Vips.Any(o => o.Address.Equals(v.Address)));
                if (clash is not null)
                {
                    throw new VipConflictException($"VIP {clash.Address} of virtual service '{vs}' is already wanted by virtual service '{other.VirtualServiceId}' on this host.");
                }
            }

            _lastEpoch[vs] = order.Epoch;
            _fencedEpoch.Remove(vs);
            if (order.Vips.Count == 0)
            {
                _desired.Remove(vs);
            }
            else
            {
                _desired[vs] = order;
            }

            _fenced = false;
            Log.OrderApplied(_logger, vs, order.Epoch, order.Vips.Count);
            await ReconcileCoreAsync(cancellationToken).ConfigureAwait(false);
            return new VipOrderResult(VipOrderOutcome.Applied, order.Epoch, StatusesOf(vs));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Self-fencing: forgets every order and removes every marked address from the host. Used when the silo's lease
    /// could not be renewed (another host may take the VIPs) and on a graceful stop. Afterwards an order is accepted
    /// only with an epoch newer than the one in force for its virtual service. Returns the addresses removed.
    /// </summary>
    public async Task<IReadOnlyList<InterfaceAddress>> FenceAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (vs, epoch) in _lastEpoch)
            {
                _fencedEpoch[vs] = epoch;
            }

            _desired.Clear();
            _fenced = true;
            var removed = await ReconcileCoreAsync(cancellationToken).ConfigureAwait(false);
            Log.Fenced(_logger, removed.Count);
            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reconciles now: removes unwanted marked addresses, adds missing VIPs, renews lifetimes.</summary>
    public Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return RunReconcileAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _wake.Writer.TryComplete();
        foreach (var loop in new[] { _watchLoop, _reconcileLoop })
        {
            if (loop is not null)
            {
                try
                {
                    await loop.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        _stopping.Dispose();
        _gate.Dispose();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task RunReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReconcileCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            try
            {
                await RunReconcileAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The loop boundary: it must survive any failed pass; the next notification or tick tries again.
                Log.ReconcileFailed(_logger, ex);
            }
        }
    }

    private (IAsyncEnumerator<NetworkChange> Enumerator, Task<bool> First) Subscribe(CancellationToken cancellationToken)
    {
        var enumerator = _host.WatchChangesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        return (enumerator, enumerator.MoveNextAsync().AsTask());
    }

    private async Task WatchAsync((IAsyncEnumerator<NetworkChange> Enumerator, Task<bool> First) subscription, CancellationToken cancellationToken)
    {
        while (true)
        {
            var enumerator = subscription.Enumerator;
            try
            {
                var hasNext = await subscription.First.ConfigureAwait(false);
                while (hasNext)
                {
                    if (IsRelevant(enumerator.Current))
                    {
                        Wake();
                    }

                    hasNext = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WatchFailed(_logger, ex);
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // The stream ended or broke: listen again, then reconcile, because changes may have been missed.
            await Task.Delay(TimeSpan.FromSeconds(1), _timeProvider, cancellationToken).ConfigureAwait(false);
            subscription = Subscribe(cancellationToken);
            Wake();
        }
    }

    private bool IsRelevant(NetworkChange change)
    {
        switch (change)
        {
            case AddressChange { Removed: true } removed:
                return removed.Address.Protocol == _options.AddressProtocol || IsDesired(removed.Address.Address);
            case AddressChange:
                // Additions and renewals (our own, RTM_NEWADDR on every NLM_F_REPLACE) need no reaction: waking on
                // them would make every renewal cause another. A marked address added by someone else is removed
                // at the next periodic reconcile.
                return false;
            case LinkChange link:
                lock (_linksWithCarrier)
                {
                    var had = _linksWithCarrier.Contains(link.Link.Name);
                    var has = !link.Removed && link.Link.HasCarrier;
                    if (has && !had)
                    {
                        _linksWithCarrier.Add(link.Link.Name);
                        _linksToAnnounce.Add(link.Link.Name);
                        return true;
                    }

                    if (!has && had)
                    {
                        _linksWithCarrier.Remove(link.Link.Name);
                        return true;
                    }

                    return link.Removed;
                }

            default:
                return true; // ChangesLost: resynchronise
        }
    }

    private bool IsDesired(IPAddress address)
    {
        var snapshot = Snapshot;
        return snapshot.Vips.Any(v => v.Binding.Address.Equals(address));
    }

    private List<VipStatus> StatusesOf(string virtualServiceId) =>
        Snapshot.Vips.Where(v => v.VirtualServiceId == virtualServiceId).ToList();

    /// <summary>One pass; the caller holds <see cref="_gate"/>. Returns the marked addresses it removed.</summary>
    private async Task<IReadOnlyList<InterfaceAddress>> ReconcileCoreAsync(CancellationToken cancellationToken)
    {
        var actual = await _host.ListAddressesAsync(cancellationToken).ConfigureAwait(false);
        var mark = _options.AddressProtocol;
        var lifetime = _options.AddressLifetime is { } l ? AddressLifetime.Of(l) : (AddressLifetime?)null;
        var desired = _desired.Values.SelectMany(o => o.Vips.Select(v => (Order: o, Vip: v))).ToList();

        // 1. Marked addresses nobody wants: remove. Unmarked addresses are never considered.
        var marked = actual.Where(a => a.Protocol == mark).ToList();
        var unwanted = marked.Where(a => !desired.Any(d => Matches(a, d.Vip))).ToList();
        var removed = new List<InterfaceAddress>();
        if (unwanted.Count > 0)
        {
            var results = await _host.DeleteAddressesAsync(unwanted.Select(a => new AddressRequest(a.Address, a.PrefixLength, a.InterfaceName)).ToList(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].Succeeded)
                {
                    removed.Add(unwanted[i]);
                    Log.Removed(_logger, unwanted[i]);
                }
                else
                {
                    Log.RemoveFailed(_logger, unwanted[i], results[i].Error);
                }
            }
        }

        // 2. Desired VIPs: owned (renew), held by someone else (leave), or missing (add).
        var links = new Dictionary<string, NetworkLink?>(StringComparer.Ordinal);
        var statuses = new List<VipStatus>();
        var toAdd = new List<(VipOrder Order, VipBinding Vip, NetworkLink Link)>();
        var toRenew = new List<AddressRequest>();
        var owned = new List<(VipBinding Vip, NetworkLink Link)>();
        foreach (var (order, vip) in desired)
        {
            if (!links.TryGetValue(vip.InterfaceName, out var link))
            {
                link = await _host.FindLinkAsync(vip.InterfaceName, cancellationToken).ConfigureAwait(false);
                links[vip.InterfaceName] = link;
                if (link is not null)
                {
                    lock (_linksWithCarrier)
                    {
                        if (link.HasCarrier)
                        {
                            _linksWithCarrier.Add(link.Name);
                        }
                    }
                }
            }

            if (link is null)
            {
                statuses.Add(new VipStatus(order.VirtualServiceId, order.Epoch, vip, VipState.InterfaceMissing, $"No interface named '{vip.InterfaceName}'."));
                continue;
            }

            var present = actual.Where(a => a.InterfaceIndex == link.Index && a.Address.Equals(vip.Address) && a.PrefixLength == vip.PrefixLength).ToList();
            if (present.Any(a => a.Protocol == mark))
            {
                statuses.Add(new VipStatus(order.VirtualServiceId, order.Epoch, vip, VipState.Owned, null));
                owned.Add((vip, link));
                if (lifetime is not null)
                {
                    toRenew.Add(Request(vip, mark, lifetime));
                }
            }
            else if (present.Count > 0)
            {
                statuses.Add(new VipStatus(order.VirtualServiceId, order.Epoch, vip, VipState.HeldByOther, "The address is configured without the agent's mark; it is left alone."));
            }
            else
            {
                toAdd.Add((order, vip, link));
            }
        }

        var announce = new List<(VipBinding Vip, NetworkLink Link)>();
        if (toAdd.Count > 0)
        {
            var results = await _host.AddAddressesAsync(toAdd.Select(a => Request(a.Vip, mark, lifetime)).ToList(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < results.Count; i++)
            {
                var (order, vip, link) = toAdd[i];
                switch (results[i].Outcome)
                {
                    case AddressOperationOutcome.Added:
                        statuses.Add(new VipStatus(order.VirtualServiceId, order.Epoch, vip, VipState.Owned, null));
                        announce.Add((vip, link));
                        Log.Added(_logger, vip, order.VirtualServiceId, order.Epoch);
                        break;
                    case AddressOperationOutcome.AlreadyPresent:
                        // Someone configured it between our listing and our add: not ours.
                        statuses.Add(new VipStatus(order.VirtualServiceId, order.Epoch, vip, VipState.HeldByOther, "The address appeared without the agent's mark while it was being added."));
                        break;
                    default:
                        statuses.Add(new VipStatus(order.VirtualServiceId, order.Epoch, vip, VipState.Pending, results[i].Error?.Message));
                        Log.AddFailed(_logger, vip, results[i].Error);
                        break;
                }
            }
        }

        if (toRenew.Count > 0)
        {
            var results = await _host.ReplaceAddressesAsync(toRenew, cancellationToken).ConfigureAwait(false);
            foreach (var failed in results.Where(r => !r.Succeeded))
            {
                Log.RenewFailed(_logger, failed.Request, failed.Error);
            }
        }

        // 3. Announce new VIPs, and owned VIPs on links that just came back up.
        lock (_linksWithCarrier)
        {
            announce.AddRange(owned.Where(o => _linksToAnnounce.Contains(o.Link.Name)));
            _linksToAnnounce.Clear();
        }

        if (_options.AnnounceAddedAddresses && announce.Count > 0)
        {
            await Task.WhenAll(announce.Where(a => a.Link.HasCarrier).Select(a => AnnounceAsync(a.Link, a.Vip.Address, cancellationToken))).ConfigureAwait(false);
        }

        if (removed.Count > 0 || toAdd.Count > 0)
        {
            actual = await _host.ListAddressesAsync(cancellationToken).ConfigureAwait(false);
        }

        var ownedAddresses = actual.Where(a => a.Protocol == mark).ToList();
        Volatile.Write(ref _snapshot, new VipAgentSnapshot(statuses, ownedAddresses, _fenced, _timeProvider.GetUtcNow()));
        return removed;
    }

    private async Task AnnounceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            await _host.AnnounceAsync(link, address, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException ex)
        {
            // The address is configured; a lost announcement only delays the LAN until its ARP/ND entries age.
            Log.AnnounceFailed(_logger, address, link.Name, ex);
        }
    }

    private static bool Matches(InterfaceAddress address, VipBinding vip) =>
        address.Address.Equals(vip.Address) && address.PrefixLength == vip.PrefixLength && address.InterfaceName == vip.InterfaceName;

    private static AddressRequest Request(VipBinding vip, byte mark, AddressLifetime? lifetime) =>
        new(vip.Address, vip.PrefixLength, vip.InterfaceName) { Protocol = mark, Lifetime = lifetime, NoDuplicateAddressDetection = true };
}
