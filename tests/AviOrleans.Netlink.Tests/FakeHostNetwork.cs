using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AviOrleans.Netlink.Agent;

namespace AviOrleans.Netlink.Tests;

/// <summary>An in-memory host with the kernel's address semantics that the agent relies on: EEXIST on add,
/// EADDRNOTAVAIL on delete, ENODEV for a missing interface, replace creating or renewing, and change notifications.</summary>
internal sealed class FakeHostNetwork : IHostNetwork
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NetworkLink> _links = new(StringComparer.Ordinal);
    private readonly List<InterfaceAddress> _addresses = [];
    private readonly Channel<NetworkChange> _changes = Channel.CreateUnbounded<NetworkChange>();

    public FakeHostNetwork(params string[] interfaces)
    {
        // The interfaces a host starts with exist before anyone listens: no notification for them.
        foreach (var name in interfaces)
        {
            CreateLink(name);
        }
    }

    public List<(string Interface, IPAddress Address)> Announcements { get; } = [];

    public List<AddressRequest> Renewals { get; } = [];

    public IReadOnlyList<InterfaceAddress> Addresses
    {
        get
        {
            lock (_lock)
            {
                return _addresses.ToList();
            }
        }
    }

    /// <summary>A new interface appears (hot-plug, a veth created later), with the notification the kernel sends.</summary>
    public void AddLink(string name)
    {
        lock (_lock)
        {
            _changes.Writer.TryWrite(new LinkChange(CreateLink(name), false));
        }
    }

    /// <summary>Configures an address directly, as another tool or a crashed predecessor would have.</summary>
    public void Configure(string address, int prefix, string interfaceName, byte protocol)
    {
        lock (_lock)
        {
            _addresses.Add(Make(new AddressRequest(IPAddress.Parse(address), prefix, interfaceName) { Protocol = protocol }, _links[interfaceName]));
        }
    }

    /// <summary>Deletes an address as `ip addr del` would, with the notification the kernel sends.</summary>
    public void RemoveBehindTheAgentsBack(string address)
    {
        lock (_lock)
        {
            var removed = _addresses.Single(a => a.Address.Equals(IPAddress.Parse(address)));
            _addresses.Remove(removed);
            _changes.Writer.TryWrite(new AddressChange(removed, true));
        }
    }

    /// <summary>Deletes an address without a notification, as if the notification had been lost.</summary>
    public void RemoveSilently(string address)
    {
        lock (_lock)
        {
            _addresses.RemoveAll(a => a.Address.Equals(IPAddress.Parse(address)));
        }
    }

    /// <summary>Reports that notifications were dropped (ENOBUFS on the listener's socket).</summary>
    public void LoseChanges() => _changes.Writer.TryWrite(new ChangesLost());

    public bool Has(string address, byte protocol)
    {
        lock (_lock)
        {
            return _addresses.Any(a => a.Address.Equals(IPAddress.Parse(address)) && a.Protocol == protocol);
        }
    }

    public ValueTask<NetworkLink?> FindLinkAsync(string interfaceName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_links.GetValueOrDefault(interfaceName));
        }
    }

    /// <summary>How many of the next listings fail, as a netlink error would.</summary>
    public int FailingListings { get; set; }

    public ValueTask<IReadOnlyList<InterfaceAddress>> ListAddressesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (FailingListings > 0)
            {
                FailingListings--;
                throw new NetlinkException("rtnetlink dump failed (ENOBUFS).", 105);
            }
        }

        return ValueTask.FromResult(Addresses);
    }

    public ValueTask<IReadOnlyList<AddressOperationResult>> AddAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AddressOperationResult>>(Apply(requests, replace: false));

    public ValueTask<IReadOnlyList<AddressOperationResult>> ReplaceAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Renewals.AddRange(requests);
        }

        return ValueTask.FromResult<IReadOnlyList<AddressOperationResult>>(Apply(requests, replace: true));
    }

    public ValueTask<IReadOnlyList<AddressOperationResult>> DeleteAddressesAsync(IReadOnlyList<AddressRequest> requests, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Resolve(requests);
            var results = new List<AddressOperationResult>();
            foreach (var request in requests)
            {
                var index = _addresses.FindIndex(a => Same(a, request));
                if (index < 0)
                {
                    results.Add(new AddressOperationResult(request, AddressOperationOutcome.NotPresent, null));
                    continue;
                }

                var removed = _addresses[index];
                _addresses.RemoveAt(index);
                _changes.Writer.TryWrite(new AddressChange(removed, true));
                results.Add(new AddressOperationResult(request, AddressOperationOutcome.Deleted, null));
            }

            return ValueTask.FromResult<IReadOnlyList<AddressOperationResult>>(results);
        }
    }

    public Task AnnounceAsync(NetworkLink link, IPAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Announcements.Add((link.Name, address));
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<NetworkChange> WatchChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in _changes.Reader.ReadAllAsync(cancellationToken))
        {
            yield return change;
        }
    }

    private List<AddressOperationResult> Apply(IReadOnlyList<AddressRequest> requests, bool replace)
    {
        lock (_lock)
        {
            Resolve(requests);
            var results = new List<AddressOperationResult>();
            foreach (var request in requests)
            {
                var index = _addresses.FindIndex(a => Same(a, request));
                if (index >= 0 && !replace)
                {
                    results.Add(new AddressOperationResult(request, AddressOperationOutcome.AlreadyPresent, null));
                    continue;
                }

                var address = Make(request, _links[request.InterfaceName]);
                if (index >= 0)
                {
                    // The kernel keeps the protocol of an address renewed in place.
                    _addresses[index] = address with { Protocol = _addresses[index].Protocol };
                }
                else
                {
                    _addresses.Add(address);
                }

                _changes.Writer.TryWrite(new AddressChange(address, false));
                results.Add(new AddressOperationResult(request, replace ? AddressOperationOutcome.AddedOrReplaced : AddressOperationOutcome.Added, null));
            }

            return results;
        }
    }

    private NetworkLink CreateLink(string name)
    {
        var index = _links.Count + 2;
        var link = new NetworkLink(index, name, PhysicalAddress.Parse("02-00-00-00-00-" + index.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)), LinkFlags.Up | LinkFlags.LowerUp | LinkFlags.Running, LinkOperationalState.Up, 1500);
        _links[name] = link;
        return link;
    }

    private void Resolve(IReadOnlyList<AddressRequest> requests)
    {
        foreach (var request in requests)
        {
            if (!_links.ContainsKey(request.InterfaceName))
            {
                throw new NetworkInterfaceNotFoundException($"No network interface named '{request.InterfaceName}'.", request.InterfaceName);
            }
        }
    }

    private bool Same(InterfaceAddress address, AddressRequest request) =>
        address.Address.Equals(request.Address) && address.PrefixLength == request.PrefixLength && address.InterfaceIndex == _links[request.InterfaceName].Index;

    private static InterfaceAddress Make(AddressRequest request, NetworkLink link) => new()
    {
        Address = request.Address,
        PrefixLength = request.PrefixLength,
        InterfaceIndex = link.Index,
        InterfaceName = link.Name,
        Protocol = request.Protocol,
        ValidLifetime = request.Lifetime?.Valid,
        PreferredLifetime = request.Lifetime?.Preferred,
    };
}
