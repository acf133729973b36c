using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>
/// An rtnetlink client: looks up links, lists, adds, renews and deletes addresses, many per send.
/// Thread-safe (one request at a time on one socket).
/// </summary>
/// <remarks>
/// Every request asks for an ACK (NLM_F_ACK) and carries its own sequence number; a batch goes out as
/// many requests in one send(2), and the ACKs are matched back to the requests by sequence number,
/// so each address gets its own result. An error is turned into a typed exception that names the address
/// and interface: EPERM/EACCES into <see cref="NetlinkPermissionException"/> (CAP_NET_ADMIN is needed),
/// ENODEV into <see cref="NetworkInterfaceNotFoundException"/>, anything else into
/// <see cref="AddressOperationException"/>. EEXIST on add and EADDRNOTAVAIL on delete are successes
/// (<see cref="AddressOperationOutcome.AlreadyPresent"/>, <see cref="AddressOperationOutcome.NotPresent"/>).
/// </remarks>
public sealed class NetlinkRouteClient : IDisposable
{
    /// <summary>Requests per send(2) in a batch. The ACKs of one send must fit the receive queue at once,
    /// or the kernel drops them; 256 ACKs stay far below the 8 MiB asked for.</summary>
    private const int MaxRequestsPerSend = 256;

    private const int ReceiveBufferBytes = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly NetlinkSocket _socket;
    private readonly NetlinkMessageWriter _writer = new();
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferBytes];
    private bool _disposed;

    private NetlinkRouteClient(NetworkNamespace networkNamespace)
    {
        Namespace = networkNamespace;
        _socket = new NetlinkSocket(networkNamespace);
    }

    /// <summary>The namespace the client works in.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>How long to wait for the kernel's reply to one request before giving up (ETIMEDOUT). Default: 30 seconds.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Opens a client in <paramref name="networkNamespace"/> (default: the current one).</summary>
    public static NetlinkRouteClient Open(NetworkNamespace? networkNamespace = null) => new(networkNamespace ?? NetworkNamespace.Current);

    /// <summary>The link of that name; throws <see cref="NetworkInterfaceNotFoundException"/> when there is none.</summary>
    public NetworkLink GetLink(string name)
    {
        return FindLink(name) ?? throw new NetworkInterfaceNotFoundException($"No network interface named '{name}' in the {Namespace} (ENODEV).", name);
    }

    /// <summary>The link of that name, or null.</summary>
    public NetworkLink? FindLink(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) >= RtnetlinkConstants.IFNAMSIZ)
        {
            return null;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.Clear();
            var sequence = _socket.NextSequence();
            var start = _writer.BeginMessage(RtnetlinkConstants.RTM_GETLINK, NetlinkConstants.NLM_F_REQUEST, sequence);
            _writer.Append(new ifinfomsg { ifi_family = (byte)LibC.AF_UNSPEC });
            _writer.AttributeString(RtnetlinkConstants.IFLA_IFNAME, name);
            _writer.EndMessage(start);
            _socket.Send(_writer.Written);

            NetworkLink? link = null;
            var errno = ReceiveReplies(sequence, (in nlmsghdr header, ReadOnlySpan<byte> payload) =>
            {
                if (header.nlmsg_type == RtnetlinkConstants.RTM_NEWLINK)
                {
                    link = ParseLink(payload);
                }
            });
            if (errno == LibC.ENODEV)
            {
                return null;
            }

            if (errno != 0)
            {
                throw new NetlinkException($"Looking up interface '{name}' failed ({Errno.Name(errno)}).", errno);
            }

            return link;
        }
    }

    /// <summary>
    /// Sets <c>net.ipv4.conf.INTERFACE.promote_secondaries</c> (RTM_SETLINK, IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF). With
    /// it off (the kernel's default in a new namespace) deleting the primary IPv4 address of a subnet also deletes every
    /// secondary address of that subnet on the interface; with it on, a secondary is promoted and stays. Needs CAP_NET_ADMIN.
    /// </summary>
    public void SetPromoteSecondaries(string interfaceName, bool enabled)
    {
        var index = GetLink(interfaceName).Index;
        // IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF { [IPV4_DEVCONF_PROMOTE_SECONDARIES] = u32 } } }: three nested
        // attribute headers around one 4-byte value, written out by hand (4 + 4 + 4 + 4 bytes).
        Span<byte> nested = stackalloc byte[16];
        MemoryMarshal.Write(nested, new rtattr { rta_len = 16, rta_type = (ushort)LibC.AF_INET });
        MemoryMarshal.Write(nested[4..], new rtattr { rta_len = 12, rta_type = RtnetlinkConstants.IFLA_INET_CONF });
        MemoryMarshal.Write(nested[8..], new rtattr { rta_len = 8, rta_type = RtnetlinkConstants.IPV4_DEVCONF_PROMOTE_SECONDARIES });
        MemoryMarshal.Write(nested[12..], enabled ? 1u : 0u);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer.Clear();
            var sequence = _socket.NextSequence();
            var start = _writer.BeginMessage(RtnetlinkConstants.RTM_SETLINK, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, sequence);
            _writer.Append(new ifinfomsg { ifi_family = (byte)LibC.AF_UNSPEC, ifi_index = index });
            _writer.Attribute(RtnetlinkConstants.IFLA_AF_SPEC, nested);
            _writer.EndMessage(start);
            _socket.Send(_writer.Written);
            var errno = ReceiveReplies(sequence, static (in nlmsghdr _, ReadOnlySpan<byte> _) => { });
            if (errno != 0)
            {
                throw errno switch
                {
                    _ when Errno.IsRefused(errno) => new NetlinkPermissionException($"Setting promote_secondaries on {interfaceName} was refused: CAP_NET_ADMIN is needed ({Errno.Name(errno)}).", errno),
                    _ when errno == LibC.ENODEV => new NetworkInterfaceNotFoundException($"Setting promote_secondaries failed: no network interface named '{interfaceName}' (ENODEV).", interfaceName),
                    _ => new NetlinkException($"Setting promote_secondaries on {interfaceName} failed ({Errno.Name(errno)}).", errno),
                };
            }
        }
    }

    /// <summary>Every link in the namespace.</summary>
    public IReadOnlyList<NetworkLink> ListLinks()
    {
        var links = new List<NetworkLink>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Dump(RtnetlinkConstants.RTM_GETLINK, new ifinfomsg { ifi_family = (byte)LibC.AF_UNSPEC }, RtnetlinkConstants.RTM_NEWLINK, links.Clear, payload => links.Add(ParseLink(payload)));
        }

        return links;
    }

    /// <summary>Every IPv4 and IPv6 address in the namespace.</summary>
    public IReadOnlyList<InterfaceAddress> ListAddresses()
    {
        var names = ListLinks().ToDictionary(l => l.Index, l => l.Name);
        var addresses = new List<InterfaceAddress>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Dump(RtnetlinkConstants.RTM_GETADDR, new ifaddrmsg { ifa_family = (byte)LibC.AF_UNSPEC }, RtnetlinkConstants.RTM_NEWADDR, addresses.Clear, payload =>
            {
                if (TryParseAddress(payload, names, out var address))
                {
                    addresses.Add(address);
                }
            });
        }

        return addresses;
    }

    /// <summary>The addresses of one interface; throws <see cref="NetworkInterfaceNotFoundException"/> when it does not exist.</summary>
    public IReadOnlyList<InterfaceAddress> ListAddresses(string interfaceName)
    {
        var link = GetLink(interfaceName);
        return ListAddresses().Where(a => a.InterfaceIndex == link.Index).ToList();
    }

    /// <summary>Every neighbour (ARP and NDP) entry in the namespace, in every state (RTM_GETNEIGH dump).</summary>
    public IReadOnlyList<NeighborEntry> ListNeighbors()
    {
        var names = ListLinks().ToDictionary(l => l.Index, l => l.Name);
        var neighbors = new List<NeighborEntry>();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Dump(RtnetlinkConstants.RTM_GETNEIGH, new ndmsg { ndm_family = (byte)LibC.AF_UNSPEC }, RtnetlinkConstants.RTM_NEWNEIGH, neighbors.Clear, payload =>
            {
                if (TryParseNeighbor(payload, names, out var neighbor))
                {
                    neighbors.Add(neighbor);
                }
            });
        }

        return neighbors;
    }

    /// <summary>Adds one address; already present is success. Throws the typed error otherwise.</summary>
    public AddressOperationOutcome AddAddress(AddressRequest request) => Single(AddAddresses([request]));

    /// <summary>Adds one address or renews it in place (NLM_F_REPLACE: lifetimes and flags are updated). Throws the typed error.</summary>
    public AddressOperationOutcome AddOrReplaceAddress(AddressRequest request) => Single(AddOrReplaceAddresses([request]));

    /// <summary>Deletes one address; not present is success. Throws the typed error otherwise.</summary>
    public AddressOperationOutcome DeleteAddress(AddressRequest request) => Single(DeleteAddresses([request]));

    /// <summary>Adds many addresses (NLM_F_CREATE|NLM_F_EXCL), one result per request in order. Interfaces are looked
    /// up and every request validated before anything is sent, so bad input changes nothing.</summary>
    public IReadOnlyList<AddressOperationResult> AddAddresses(IReadOnlyList<AddressRequest> requests) =>
        Batch(requests, RtnetlinkConstants.RTM_NEWADDR, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL);

    /// <summary>Adds or renews many addresses (NLM_F_CREATE|NLM_F_REPLACE), one result per request in order.</summary>
    public IReadOnlyList<AddressOperationResult> AddOrReplaceAddresses(IReadOnlyList<AddressRequest> requests) =>
        Batch(requests, RtnetlinkConstants.RTM_NEWADDR, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_REPLACE);

    /// <summary>Deletes many addresses, one result per request in order.</summary>
    public IReadOnlyList<AddressOperationResult> DeleteAddresses(IReadOnlyList<AddressRequest> requests) =>
        Batch(requests, RtnetlinkConstants.RTM_DELADDR, 0);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _socket.Dispose();
            }
        }
    }

    internal static NetworkLink ParseLink(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Marshal.SizeOf<ifinfomsg>())
        {
            throw new NetlinkException($"Malformed RTM_NEWLINK of {payload.Length} bytes.");
        }

        var info = MemoryMarshal.Read<ifinfomsg>(payload);
        string name = info.ifi_index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = PhysicalAddress.None;
        int mtu = 0;
        var state = LinkOperationalState.Unknown;
        var attributes = payload[NetlinkConstants.Align(Marshal.SizeOf<ifinfomsg>())..];
        while (NetlinkMessageReader.TryReadAttribute(ref attributes, out var type, out var value))
        {
            switch (type)
            {
                case RtnetlinkConstants.IFLA_IFNAME:
                    name = NetlinkMessageReader.ReadString(value);
                    break;
                case RtnetlinkConstants.IFLA_ADDRESS:
                    mac = new PhysicalAddress(value.ToArray());
                    break;
                case RtnetlinkConstants.IFLA_MTU when value.Length >= 4:
                    mtu = (int)MemoryMarshal.Read<uint>(value);
                    break;
                case RtnetlinkConstants.IFLA_OPERSTATE when value.Length >= 1:
                    state = (LinkOperationalState)value[0];
                    break;
            }
        }

        return new NetworkLink(info.ifi_index, name, mac, (LinkFlags)info.ifi_flags, state, mtu);
    }

    internal static bool TryParseAddress(ReadOnlySpan<byte> payload, IReadOnlyDictionary<int, string>? names, out InterfaceAddress address)
    {
        address = null!;
        if (payload.Length < Marshal.SizeOf<ifaddrmsg>())
        {
            throw new NetlinkException($"Malformed RTM_NEWADDR of {payload.Length} bytes.");
        }

        var message = MemoryMarshal.Read<ifaddrmsg>(payload);
        if (message.ifa_family != (int)LibC.AF_INET && message.ifa_family != (int)LibC.AF_INET6)
        {
            return false;
        }

        IPAddress? local = null, peer = null, broadcast = null;
        string? label = null;
        uint flags = message.ifa_flags;
        byte protocol = 0;
        TimeSpan? valid = null, preferred = null;
        var attributes = payload[NetlinkConstants.Align(Marshal.SizeOf<ifaddrmsg>())..];
        while (NetlinkMessageReader.TryReadAttribute(ref attributes, out var type, out var value))
        {
            switch (type)
            {
                case RtnetlinkConstants.IFA_LOCAL:
                    local = new IPAddress(value);
                    break;
                case RtnetlinkConstants.IFA_ADDRESS:
                    peer = new IPAddress(value);
                    break;
                case RtnetlinkConstants.IFA_BROADCAST:
                    broadcast = new IPAddress(value);
                    break;
                case RtnetlinkConstants.IFA_LABEL:
                    label = NetlinkMessageReader.ReadString(value);
                    break;
                case RtnetlinkConstants.IFA_FLAGS when value.Length >= 4:
                    flags = MemoryMarshal.Read<uint>(value);
                    break;
                case RtnetlinkConstants.IFA_PROTO when value.Length >= 1:
                    protocol = value[0];
                    break;
                case RtnetlinkConstants.IFA_CACHEINFO when value.Length >= Marshal.SizeOf<ifa_cacheinfo>():
                    var info = MemoryMarshal.Read<ifa_cacheinfo>(value);
                    valid = info.ifa_valid == RtnetlinkConstants.INFINITY_LIFE_TIME ? null : TimeSpan.FromSeconds(info.ifa_valid);
                    preferred = info.ifa_prefered == RtnetlinkConstants.INFINITY_LIFE_TIME ? null : TimeSpan.FromSeconds(info.ifa_prefered);
                    break;
            }
        }

        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links and the
        // same address otherwise (IPv6 sends only IFA_ADDRESS unless there is a peer).
        var own = local ?? peer;
        if (own is null)
        {
            return false;
        }

        var index = (int)message.ifa_index;
        address = new InterfaceAddress
        {
            Address = own,
            PrefixLength = message.ifa_prefixlen,
            InterfaceIndex = index,
            InterfaceName = names is not null && names.TryGetValue(index, out var name) ? name : index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Flags = (AddressFlags)flags,
            Scope = message.ifa_scope,
            Label = label,
            Broadcast = broadcast,
            Protocol = protocol,
            ValidLifetime = valid,
            PreferredLifetime = preferred,
        };
        return true;
    }

    /// <summary>Parses an RTM_NEWNEIGH/RTM_DELNEIGH payload; false for families other than IPv4/IPv6 (bridge FDB
    /// entries share the message type) and for entries without a destination.</summary>
    internal static bool TryParseNeighbor(ReadOnlySpan<byte> payload, IReadOnlyDictionary<int, string>? names, out NeighborEntry neighbor)
    {
        neighbor = null!;
        if (payload.Length < Marshal.SizeOf<ndmsg>())
        {
            throw new NetlinkException($"Malformed RTM_NEWNEIGH of {payload.Length} bytes.");
        }

        var message = MemoryMarshal.Read<ndmsg>(payload);
        if (message.ndm_family != (int)LibC.AF_INET && message.ndm_family != (int)LibC.AF_INET6)
        {
            return false;
        }

        IPAddress? destination = null;
        var mac = PhysicalAddress.None;
        var attributes = payload[NetlinkConstants.Align(Marshal.SizeOf<ndmsg>())..];
        while (NetlinkMessageReader.TryReadAttribute(ref attributes, out var type, out var value))
        {
            switch (type)
            {
                case RtnetlinkConstants.NDA_DST when value.Length is 4 or 16:
                    destination = new IPAddress(value);
                    break;
                case RtnetlinkConstants.NDA_LLADDR:
                    mac = new PhysicalAddress(value.ToArray());
                    break;
            }
        }

        if (destination is null)
        {
            return false;
        }

        var index = message.ndm_ifindex;
        var name = names is not null && names.TryGetValue(index, out var known) ? known : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        neighbor = new NeighborEntry(destination, index, name, mac, (NeighborState)message.ndm_state);
        return true;
    }

    private static AddressOperationOutcome Single(IReadOnlyList<AddressOperationResult> results)
    {
        results[0].EnsureSuccess();
        return results[0].Outcome;
    }

    private AddressOperationResult[] Batch(IReadOnlyList<AddressRequest> requests, ushort type, ushort createFlags)
    {
        ArgumentNullException.ThrowIfNull(requests);
        for (var i = 0; i < requests.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(requests[i], $"{nameof(requests)}[{i}]");
            requests[i].Validate();
        }

        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (!indexes.ContainsKey(request.InterfaceName))
            {
                indexes[request.InterfaceName] = GetLink(request.InterfaceName).Index;
            }
        }

        var results = new AddressOperationResult[requests.Count];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var first = 0; first < requests.Count; first += MaxRequestsPerSend)
            {
                var count = Math.Min(MaxRequestsPerSend, requests.Count - first);
                _writer.Clear();
                uint firstSequence = 0;
                for (var i = 0; i < count; i++)
                {
                    var sequence = _socket.NextSequence();
                    if (i == 0)
                    {
                        firstSequence = sequence;
                    }

                    WriteAddressMessage(requests[first + i], indexes[requests[first + i].InterfaceName], type, createFlags, sequence);
                }

                _socket.Send(_writer.Written);
                var offset = first;
                var pending = count;
                var deadline = Environment.TickCount64 + (long)ReplyTimeout.TotalMilliseconds;
                while (pending > 0)
                {
                    var received = ReceiveWithDeadline(deadline);
                    var buffer = (ReadOnlySpan<byte>)_receiveBuffer.AsSpan(0, received);
                    while (NetlinkMessageReader.TryReadMessage(ref buffer, out var header, out var payload))
                    {
                        if (header.nlmsg_type != NetlinkConstants.NLMSG_ERROR)
                        {
                            continue;
                        }

                        var errno = -NetlinkMessageReader.ReadError(header, payload, out var requestSequence, out var kernelMessage);
                        var index = unchecked((int)(requestSequence - firstSequence));
                        if (index < 0 || index >= count || results[offset + index] is not null)
                        {
                            continue; // an ACK of an earlier, abandoned request
                        }

                        results[offset + index] = ToResult(requests[offset + index], type, createFlags, errno, kernelMessage);
                        pending--;
                    }
                }
            }
        }

        return results;
    }

    private void WriteAddressMessage(AddressRequest request, int interfaceIndex, ushort type, ushort createFlags, uint sequence)
    {
        int family = request.IsIPv6 ? LibC.AF_INET6 : LibC.AF_INET;
        uint flags = 0;
        if (request.IsIPv6 && request.NoDuplicateAddressDetection && type == RtnetlinkConstants.RTM_NEWADDR)
        {
            flags |= RtnetlinkConstants.IFA_F_NODAD;
        }

        var start = _writer.BeginMessage(type, (ushort)(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK | createFlags), sequence);
        _writer.Append(new ifaddrmsg
        {
            ifa_family = (byte)family,
            ifa_prefixlen = (byte)request.PrefixLength,
            ifa_flags = (byte)flags,
            ifa_scope = RtnetlinkConstants.RT_SCOPE_UNIVERSE,
            ifa_index = (uint)interfaceIndex,
        });

        Span<byte> address = stackalloc byte[16];
        request.Address.TryWriteBytes(address, out var written);
        _writer.Attribute(RtnetlinkConstants.IFA_LOCAL, address[..written]);
        _writer.Attribute(RtnetlinkConstants.IFA_ADDRESS, address[..written]);
        if (type == RtnetlinkConstants.RTM_NEWADDR)
        {
            _writer.AttributeUInt32(RtnetlinkConstants.IFA_FLAGS, flags);
            if (request.Broadcast is not null)
            {
                request.Broadcast.TryWriteBytes(address, out written);
                _writer.Attribute(RtnetlinkConstants.IFA_BROADCAST, address[..written]);
            }

            if (request.Label is not null)
            {
                _writer.AttributeString(RtnetlinkConstants.IFA_LABEL, request.Label);
            }

            if (request.Protocol != 0)
            {
                _writer.AttributeByte(RtnetlinkConstants.IFA_PROTO, request.Protocol);
            }

            if (request.Lifetime is { } lifetime)
            {
                _writer.AttributeStruct(RtnetlinkConstants.IFA_CACHEINFO, new ifa_cacheinfo
                {
                    ifa_valid = lifetime.ValidSeconds,
                    ifa_prefered = lifetime.PreferredSeconds,
                });
            }
        }

        _writer.EndMessage(start);
    }

    private static AddressOperationResult ToResult(AddressRequest request, ushort type, ushort createFlags, int errno, string? kernelMessage)
    {
        var adding = type == RtnetlinkConstants.RTM_NEWADDR;
        if (errno == 0)
        {
            var outcome = !adding ? AddressOperationOutcome.Deleted
                : (createFlags & NetlinkConstants.NLM_F_REPLACE) != 0 ? AddressOperationOutcome.AddedOrReplaced
                : AddressOperationOutcome.Added;
            return new AddressOperationResult(request, outcome, null);
        }

        if (adding && errno == LibC.EEXIST)
        {
            return new AddressOperationResult(request, AddressOperationOutcome.AlreadyPresent, null);
        }

        if (!adding && errno == LibC.EADDRNOTAVAIL)
        {
            return new AddressOperationResult(request, AddressOperationOutcome.NotPresent, null);
        }

        var verb = adding ? "Adding" : "Deleting";
        var detail = kernelMessage is null ? string.Empty : $" Kernel: {kernelMessage}.";
        NetlinkException error = errno switch
        {
            _ when Errno.IsRefused(errno) => new NetlinkPermissionException($"{verb} {request.Address}/{request.PrefixLength} on {request.InterfaceName} was refused: CAP_NET_ADMIN is needed ({Errno.Name(errno)}).{detail}", errno),
            _ when errno == LibC.ENODEV => new NetworkInterfaceNotFoundException($"{verb} {request.Address}/{request.PrefixLength} failed: no network interface named '{request.InterfaceName}' (ENODEV).{detail}", request.InterfaceName),
            _ => new AddressOperationException($"{verb} {request.Address}/{request.PrefixLength} on {request.InterfaceName} failed ({Errno.Name(errno)}).{detail}", errno, request.Address, request.InterfaceName),
        };
        return new AddressOperationResult(request, AddressOperationOutcome.Failed, error);
    }

    private delegate void ReplyHandler(in nlmsghdr header, ReadOnlySpan<byte> payload);

    /// <summary>Reads replies to <paramref name="sequence"/> until its ACK or error; returns the positive errno (0 = ACK).</summary>
    private int ReceiveReplies(uint sequence, ReplyHandler onMessage)
    {
        var deadline = Environment.TickCount64 + (long)ReplyTimeout.TotalMilliseconds;
        while (true)
        {
            var received = ReceiveWithDeadline(deadline);
            var buffer = (ReadOnlySpan<byte>)_receiveBuffer.AsSpan(0, received);
            while (NetlinkMessageReader.TryReadMessage(ref buffer, out var header, out var payload))
            {
                if (header.nlmsg_type == NetlinkConstants.NLMSG_ERROR)
                {
                    var errno = -NetlinkMessageReader.ReadError(header, payload, out var requestSequence, out _);
                    if (requestSequence == sequence)
                    {
                        return errno;
                    }

                    continue;
                }

                if (header.nlmsg_seq == sequence)
                {
                    onMessage(header, payload);
                    if ((header.nlmsg_flags & NetlinkConstants.NLM_F_MULTI) == 0)
                    {
                        // A single reply (RTM_GETLINK by name) without NLM_F_ACK ends the exchange.
                        return 0;
                    }
                }
            }
        }
    }

    /// <summary>Runs a dump (NLM_F_DUMP) and hands each message of <paramref name="messageType"/> to
    /// <paramref name="onMessage"/>. An interrupted dump (NLM_F_DUMP_INTR: the table changed meanwhile) is restarted.</summary>
    private void Dump<T>(ushort requestType, in T header, ushort messageType, Action restart, Action<byte[]> onMessage)
        where T : unmanaged
    {
        for (var attempt = 0; ; attempt++)
        {
            restart();
            _writer.Clear();
            var sequence = _socket.NextSequence();
            var start = _writer.BeginMessage(requestType, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, sequence);
            _writer.Append(header);
            _writer.EndMessage(start);
            _socket.Send(_writer.Written);

            var interrupted = false;
            var deadline = Environment.TickCount64 + (long)ReplyTimeout.TotalMilliseconds;
            var done = false;
            while (!done)
            {
                var received = ReceiveWithDeadline(deadline);
                var buffer = (ReadOnlySpan<byte>)_receiveBuffer.AsSpan(0, received);
                while (NetlinkMessageReader.TryReadMessage(ref buffer, out var message, out var payload))
                {
                    if (message.nlmsg_seq != sequence)
                    {
                        continue;
                    }

                    interrupted |= (message.nlmsg_flags & NetlinkConstants.NLM_F_DUMP_INTR) != 0;
                    if (message.nlmsg_type == NetlinkConstants.NLMSG_DONE)
                    {
                        done = true;
                        break;
                    }

                    if (message.nlmsg_type == NetlinkConstants.NLMSG_ERROR)
                    {
                        var errno = -NetlinkMessageReader.ReadError(message, payload, out _, out var kernelMessage);
                        throw new NetlinkException($"rtnetlink dump {requestType} failed ({Errno.Name(errno)}){(kernelMessage is null ? string.Empty : ": " + kernelMessage)}.", errno);
                    }

                    if (message.nlmsg_type == messageType)
                    {
                        onMessage(payload.ToArray());
                    }
                }
            }

            if (!interrupted || attempt >= 4)
            {
                return;
            }
        }
    }

    private int ReceiveWithDeadline(long deadline)
    {
        while (true)
        {
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new NetlinkException($"rtnetlink did not answer within {ReplyTimeout} (ETIMEDOUT).", LibC.ETIMEDOUT);
            }

            var received = _socket.Receive(_receiveBuffer, (int)Math.Min(remaining, 1000));
            if (received > 0)
            {
                return received;
            }
        }
    }
}
