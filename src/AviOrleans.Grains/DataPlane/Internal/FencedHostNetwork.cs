using System.Collections.Concurrent;
using System.Net;
using AviOrleans.Netlink;
using AviOrleans.Netlink.Agent;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// The VIP agent's view of the host, with the self-fence in front of every add: an add or a lifetime renewal (which
/// re-creates a deleted address) reaches the kernel only while <see cref="LivenessEvidence.MayAdd"/> holds, checked
/// under the fence's host gate for the whole netlink call, so no address lands after the fence flag is set whatever
/// the agent's own state. Also stamps when the kernel confirmed each add and when each announcement went out.
/// </summary>
internal sealed class FencedHostNetwork(IHostNetwork inner, LivenessEvidence fence, TimeProvider timeProvider) : IHostNetwork
{
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _addedAt = new();
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _announcedAt = new();

    /// <summary>When the kernel last confirmed adding <paramref name="address"/>, if it did.</summary>
    public DateTimeOffset? AddedAt(IPAddress address) => _addedAt.TryGetValue(address, out var at) ? at : null;

    /// <summary>When the first announcement of <paramref name="address"/> last went out, if one did.</summary>
    public DateTimeOffset? AnnouncedAt(IPAddress address) => _announcedAt.TryGetValue(address, out var at) ? at : null;

    public ValueTask<NetworkLink?> FindLinkAsync(string interfaceName, CancellationToken cancellationToken) =>
        inner.FindLinkAsync(interfaceName, cancellationToken);

    public ValueTask<IReadOnlyList<InterfaceAddress>> ListAddressesAsync(CancellationToken cancellationToken) =>
        inner.ListAddressesAsync(cancellationToken);

    public ValueTask<IReadOnlyList<AddressOperationResult>> AddAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        new(Guarded(requests, inner.AddAddressesAsync, cancellationToken));

    public ValueTask<IReadOnlyList<AddressOperationResult>> ReplaceAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        new(Guarded(requests, inner.ReplaceAddressesAsync, cancellationToken));

    public ValueTask<IReadOnlyList<AddressOperationResult>> DeleteAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        inner.DeleteAddressesAsync(requests, cancellationToken);

    public async Task AnnounceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken)
    {
        // The first announcement goes out synchronously, before the announcer's first pause: the moment the call
        // returns its task is the moment the LAN was told.
        var announcing = inner.AnnounceAsync(link, address, cancellationToken);
        if (!announcing.IsFaulted)
        {
            _announcedAt[address] = timeProvider.GetUtcNow();
        }

        await announcing.ConfigureAwait(false);
    }

    public IAsyncEnumerable<NetworkChange> WatchChangesAsync(CancellationToken cancellationToken) => inner.WatchChangesAsync(cancellationToken);

    private async Task<IReadOnlyList<AddressOperationResult>> Guarded(
        IReadOnlyList<AddressRequest> requests,
        Func<IReadOnlyList<AddressRequest>, CancellationToken, ValueTask<IReadOnlyList<AddressOperationResult>>> operation,
        CancellationToken cancellationToken)
    {
        var results = new List<AddressOperationResult>(requests.Count);
        // In chunks, so that a fence waits for at most one chunk of kernel work (tens of microseconds per address).
        foreach (var chunk in requests.Chunk(NetlinkHostNetwork.InlineBatchLimit))
        {
            await fence.HostGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!fence.MayAdd())
                {
                    results.AddRange(chunk.Select(r => new AddressOperationResult(r, AddressOperationOutcome.Failed,
                        new AddressOperationException($"Not adding {r}: the host is fenced (no fresh evidence that this silo is a live member)."))));
                    continue;
                }

                results.AddRange(await operation(chunk, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                fence.HostGate.Release();
            }
        }

        var now = timeProvider.GetUtcNow();
        foreach (var result in results)
        {
            if (result.Outcome is AddressOperationOutcome.Added)
            {
                _addedAt[result.Request.Address] = now;
            }
        }

        return results;
    }
}
