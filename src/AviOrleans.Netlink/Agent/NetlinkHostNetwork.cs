using System.Net;
using System.Runtime.CompilerServices;

namespace AviOrleans.Netlink.Agent;

/// <summary>The real host: rtnetlink for links and addresses, AF_PACKET for announcements, rtnetlink groups for changes.</summary>
/// <remarks>
/// Netlink calls are short (tens of microseconds per address) and run synchronously on the caller's thread; batches
/// of more than <see cref="InlineBatchLimit"/> addresses, which can take seconds of kernel work on one interface (see
/// bench/results/netlink.md), run on the thread pool so that no caller's scheduler thread is held that long.
/// </remarks>
public sealed class NetlinkHostNetwork : IHostNetwork, IDisposable
{
    /// <summary>Batches up to this size run inline.</summary>
    public const int InlineBatchLimit = 64;

    private readonly NetworkNamespace _namespace;
    private readonly NetlinkRouteClient _client;
    private readonly NeighborAnnouncer _announcer;
    private readonly AnnouncementOptions _announcement;
    private readonly TimeProvider _timeProvider;

    /// <summary>Opens the netlink and packet sockets in <paramref name="networkNamespace"/> (default: the current one).</summary>
    public NetlinkHostNetwork(NetworkNamespace? networkNamespace = null, AnnouncementOptions? announcement = null, TimeProvider? timeProvider = null)
    {
        _namespace = networkNamespace ?? NetworkNamespace.Current;
        _announcement = announcement ?? new AnnouncementOptions();
        _announcement.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _client = NetlinkRouteClient.Open(_namespace);
        try
        {
            _announcer = NeighborAnnouncer.Open(_namespace);
        }
        catch
        {
            _client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the running kernel keeps the address protocol (IFA_PROTO, Linux 6.1 and later), which the agent uses
    /// as its mark. Older kernels silently drop the attribute, so the agent could not recognise its own addresses.
    /// </summary>
    public static bool KernelSupportsAddressProtocol => Environment.OSVersion.Version >= new Version(6, 1);

    /// <inheritdoc/>
    public ValueTask<NetworkLink?> FindLinkAsync(string interfaceName, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_client.FindLink(interfaceName));

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<InterfaceAddress>> ListAddressesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_client.ListAddresses());

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressOperationResult>> AddAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        Run(requests, _client.AddAddresses, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AddressOperationResult>> ReplaceAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        Run(requests, _client.AddOrReplaceAddresses, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Turns on promote_secondaries on each interface that loses an IPv4 address first: otherwise removing a
    /// marked VIP that the kernel made the primary of its subnet would take the unmarked secondary addresses of that
    /// subnet with it, and the agent must never touch an unmarked address.</remarks>
    public ValueTask<IReadOnlyList<AddressOperationResult>> DeleteAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        Run(requests, batch => DeleteKeepingSecondaries(_client, batch), cancellationToken);

    /// <summary>Deletes <paramref name="requests"/> after turning on promote_secondaries on their IPv4 interfaces.</summary>
    internal static IReadOnlyList<AddressOperationResult> DeleteKeepingSecondaries(NetlinkRouteClient client, IReadOnlyList<AddressRequest> requests)
    {
        foreach (var interfaceName in requests.Where(r => !r.IsIPv6).Select(r => r.InterfaceName).Distinct(StringComparer.Ordinal))
        {
            try
            {
                client.SetPromoteSecondaries(interfaceName, enabled: true);
            }
            catch (NetworkInterfaceNotFoundException)
            {
                // The link is gone with its addresses; the delete reports ENODEV for its requests.
            }
        }

        return client.DeleteAddresses(requests);
    }

    /// <inheritdoc/>
    public Task AnnounceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken) =>
        _announcer.AnnounceAsync(link, address, _announcement, _timeProvider, cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<NetworkChange> WatchChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Runs synchronously inside the first MoveNextAsync: the groups are joined before it returns.
        using var monitor = NetlinkChangeMonitor.Start(_namespace);
        await foreach (var change in monitor.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    private static ValueTask<IReadOnlyList<AddressOperationResult>> Run(
        IReadOnlyList<AddressRequest> requests,
        Func<IReadOnlyList<AddressRequest>, IReadOnlyList<AddressOperationResult>> operation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        cancellationToken.ThrowIfCancellationRequested();
        return requests.Count <= InlineBatchLimit
            ? ValueTask.FromResult(operation(requests))
            : new ValueTask<IReadOnlyList<AddressOperationResult>>(Task.Run(() => operation(requests), cancellationToken));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _announcer.Dispose();
        _client.Dispose();
    }
}
