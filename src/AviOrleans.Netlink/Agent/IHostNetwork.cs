using System.Net;

namespace AviOrleans.Netlink.Agent;

/// <summary>
/// What the VIP agent needs from the host: links, addresses, announcements and change notifications.
/// <see cref="NetlinkHostNetwork"/> is the real one (rtnetlink + AF_PACKET); tests and the deterministic simulation
/// use an in-memory one.
/// </summary>
public interface IHostNetwork
{
    /// <summary>The link of that name, or null when there is none.</summary>
    ValueTask<NetworkLink?> FindLinkAsync(string interfaceName, CancellationToken cancellationToken);

    /// <summary>Every address on the host (IPv4 and IPv6, all interfaces).</summary>
    ValueTask<IReadOnlyList<InterfaceAddress>> ListAddressesAsync(CancellationToken cancellationToken);

    /// <summary>Adds addresses that must not exist yet (EEXIST is <see cref="AddressOperationOutcome.AlreadyPresent"/>
    /// and changes nothing); one result per request.</summary>
    ValueTask<IReadOnlyList<AddressOperationResult>> AddAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken);

    /// <summary>Adds or renews addresses in place (their lifetimes start again); one result per request.</summary>
    ValueTask<IReadOnlyList<AddressOperationResult>> ReplaceAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken);

    /// <summary>Deletes addresses (not present is <see cref="AddressOperationOutcome.NotPresent"/>); one result per request.</summary>
    ValueTask<IReadOnlyList<AddressOperationResult>> DeleteAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken);

    /// <summary>Tells the LAN that <paramref name="address"/> is now on <paramref name="link"/> (gratuitous ARP or unsolicited NA).</summary>
    Task AnnounceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken);

    /// <summary>Address and link changes as they happen, until <paramref name="cancellationToken"/> is cancelled.
    /// The subscription must be in place when the enumerator's first <c>MoveNextAsync</c> call returns (before that
    /// task completes), so that a caller can subscribe, then read the state, and miss nothing in between.</summary>
    IAsyncEnumerable<NetworkChange> WatchChangesAsync(CancellationToken cancellationToken);
}
