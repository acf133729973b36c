using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using AviOrleans.Netlink;
using AviOrleans.Netlink.Agent;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// The VIP agent's view of the host, with the self-fence in front of every add: an add or a lifetime renewal (which
/// re-creates a deleted address) reaches the kernel only while <see cref="LivenessEvidence.MayAdd"/> holds, checked
/// under the fence's host gate for the whole netlink call, so no address lands after the fence flag is set whatever
/// the agent's own state. Also stamps when the kernel confirmed each add and when each announcement went out.
/// </summary>
/// <remarks>
/// Announcements are sent here rather than by the inner host: the first one at once (the agent's call returns right
/// after it, so an order's acknowledgement does not wait for the repeats), the repeats in the background, each one
/// only while the host may still own the address and still holds it. A repeat that went out after a fence or a
/// removal would draw the LAN back to a host that no longer answers, possibly after the new owner's announcement.
/// </remarks>
internal sealed class FencedHostNetwork : IHostNetwork, IAsyncDisposable
{
    private readonly IHostNetwork _inner;
    private readonly LivenessEvidence _fence;
    private readonly NeighborAnnouncer _announcer;
    private readonly AnnouncementOptions _announcement;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _addedAt = new();
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _announcedAt = new();
    private readonly ConcurrentDictionary<IPAddress, bool> _held = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _repeats = new();

    public FencedHostNetwork(IHostNetwork inner, LivenessEvidence fence, NeighborAnnouncer announcer, AnnouncementOptions announcement, TimeProvider timeProvider)
    {
        announcement.Validate();
        _inner = inner;
        _fence = fence;
        _announcer = announcer;
        _announcement = announcement;
        _timeProvider = timeProvider;
    }

    /// <summary>When the kernel last confirmed adding <paramref name="address"/>, if it did.</summary>
    public DateTimeOffset? AddedAt(IPAddress address) => _addedAt.TryGetValue(address, out var at) ? at : null;

    /// <summary>When the first announcement of <paramref name="address"/> last went out, if one did.</summary>
    public DateTimeOffset? AnnouncedAt(IPAddress address) => _announcedAt.TryGetValue(address, out var at) ? at : null;

    public ValueTask<NetworkLink?> FindLinkAsync(string interfaceName, CancellationToken cancellationToken) =>
        _inner.FindLinkAsync(interfaceName, cancellationToken);

    public ValueTask<IReadOnlyList<InterfaceAddress>> ListAddressesAsync(CancellationToken cancellationToken) =>
        _inner.ListAddressesAsync(cancellationToken);

    public ValueTask<IReadOnlyList<AddressOperationResult>> AddAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        new(Guarded(requests, _inner.AddAddressesAsync, cancellationToken));

    public ValueTask<IReadOnlyList<AddressOperationResult>> ReplaceAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        new(Guarded(requests, _inner.ReplaceAddressesAsync, cancellationToken));

    public ValueTask<IReadOnlyList<AddressOperationResult>> DeleteAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken)
    {
        // Before the delete: no repeat announcement may go out for an address on its way out.
        foreach (var request in requests)
        {
            _held.TryRemove(request.Address, out _);
        }

        return _inner.DeleteAddressesAsync(requests, cancellationToken);
    }

    public async Task AnnounceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken)
    {
        if (!await TryAnnounceOnceAsync(link, address, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        _announcedAt[address] = _timeProvider.GetUtcNow();
        if (_announcement.Count > 1)
        {
            var repeats = RepeatAsync(link, address);
            _repeats[repeats] = true;
            _ = repeats.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, bool>)state!).TryRemove(t, out _), _repeats, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public IAsyncEnumerable<NetworkChange> WatchChangesAsync(CancellationToken cancellationToken) => _inner.WatchChangesAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_repeats.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RepeatAsync(NetworkLink link, IPAddress address)
    {
        try
        {
            for (var i = 1; i < _announcement.Count; i++)
            {
                await Task.Delay(_announcement.Interval, _timeProvider, _stopping.Token).ConfigureAwait(false);
                if (!await TryAnnounceOnceAsync(link, address, _stopping.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (NetlinkException)
        {
            // The first announcement went out; a lost repeat only matters to a LAN that missed the first.
        }
    }

    /// <summary>One gratuitous ARP / unsolicited NA, sent inside the host gate and only while the host may own the
    /// address and holds it; false when it was not sent.</summary>
    private async Task<bool> TryAnnounceOnceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken)
    {
        await _fence.HostGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_fence.MayAdd() || !_held.ContainsKey(address))
            {
                return false;
            }

            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                _announcer.SendGratuitousArp(link, address, _announcement.ArpForm);
            }
            else
            {
                _announcer.SendUnsolicitedNeighborAdvertisement(link, address);
            }

            return true;
        }
        finally
        {
            _fence.HostGate.Release();
        }
    }

    private async Task<IReadOnlyList<AddressOperationResult>> Guarded(
        IReadOnlyList<AddressRequest> requests,
        Func<IReadOnlyList<AddressRequest>, CancellationToken, ValueTask<IReadOnlyList<AddressOperationResult>>> operation,
        CancellationToken cancellationToken)
    {
        var results = new List<AddressOperationResult>(requests.Count);
        // In chunks, so that a fence waits for at most one chunk of kernel work (tens of microseconds per address).
        foreach (var chunk in requests.Chunk(NetlinkHostNetwork.InlineBatchLimit))
        {
            await _fence.HostGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_fence.MayAdd())
                {
                    results.AddRange(chunk.Select(r => new AddressOperationResult(r, AddressOperationOutcome.Failed,
                        new AddressOperationException($"Not adding {r}: the host is fenced (no fresh evidence that this silo is a live member)."))));
                    continue;
                }

                results.AddRange(await operation(chunk, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                _fence.HostGate.Release();
            }
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var result in results.Where(r => r.Succeeded))
        {
            _held[result.Request.Address] = true;
            if (result.Outcome is AddressOperationOutcome.Added)
            {
                _addedAt[result.Request.Address] = now;
            }
        }

        return results;
    }
}
