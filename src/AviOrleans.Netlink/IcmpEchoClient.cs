using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>
/// Sends ICMP echo requests (RFC 792; ICMPv6, RFC 4443 §4.1) from one network namespace and waits for the matching
/// reply: the gateway monitor's probe. One client per address family; one <see cref="PingAsync"/> at a time.
/// </summary>
/// <remarks>
/// Echo request and reply, after the IP header (which only a raw IPv4 socket receives):
/// <code>
///  0       8       16              31
/// +-------+-------+---------------+
/// | type  | code  |   checksum    |   type: 8 / 0 (IPv4 request / reply), 128 / 129 (IPv6)
/// +-------+-------+---------------+
/// |  identifier   |   sequence    |
/// +---------------+---------------+
/// | payload: 8-byte token of this client, then the send time (ticks) ...
/// </code>
/// A reply counts only when it comes from the target with this client's identifier (raw sockets; a datagram socket's
/// identifier is the kernel's, which delivers it only this socket's replies), the sequence of the request in flight and
/// this client's token, so a late reply to an earlier request, or another prober's, is never taken for an answer.
/// </remarks>
public sealed class IcmpEchoClient : IDisposable
{
    private const int HeaderLength = 8;
    private const int PayloadLength = 16;
    private const byte EchoRequestV4 = 8;
    private const byte EchoReplyV4 = 0;
    private const byte EchoRequestV6 = 128;
    private const byte EchoReplyV6 = 129;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly ushort _identifier;
    private readonly byte[] _token = RandomNumberGenerator.GetBytes(8);
    private readonly byte[] _receiveBuffer = new byte[1500];
    private ushort _sequence;
    private int _busy;

    private IcmpEchoClient(Socket socket, AddressFamily family, IcmpSocketKind kind, TimeProvider time)
    {
        _socket = socket;
        Family = family;
        Kind = kind;
        _time = time;
        _identifier = (ushort)RandomNumberGenerator.GetInt32(1, ushort.MaxValue);
    }

    /// <summary>The address family it pings (<see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>).</summary>
    public AddressFamily Family { get; }

    /// <summary>The socket kind it got (<see cref="IcmpSocketKind.Datagram"/> or <see cref="IcmpSocketKind.Raw"/>).</summary>
    public IcmpSocketKind Kind { get; }

    /// <summary>Opens a client for <paramref name="family"/> in <paramref name="networkNamespace"/> (null: the current one).</summary>
    /// <exception cref="NetlinkPermissionException">
    /// Neither socket kind allowed: the group is not in <c>net.ipv4.ping_group_range</c> and the process lacks <c>CAP_NET_RAW</c>.
    /// </exception>
    public static IcmpEchoClient Open(AddressFamily family, NetworkNamespace? networkNamespace = null, IcmpSocketKind kind = IcmpSocketKind.Any, TimeProvider? timeProvider = null)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "ICMP echo needs IPv4 or IPv6.");
        }

        var ns = networkNamespace ?? NetworkNamespace.Current;
        var time = timeProvider ?? TimeProvider.System;
        if (kind != IcmpSocketKind.Raw)
        {
            try
            {
                return new IcmpEchoClient(CreateSocket(ns, family, LibC.SOCK_DGRAM), family, IcmpSocketKind.Datagram, time);
            }
            catch (NetlinkPermissionException) when (kind == IcmpSocketKind.Any)
            {
                // ping_group_range leaves this group out (its default, "1 0", leaves everyone out): try a raw socket.
            }
            catch (NetlinkPermissionException ex)
            {
                throw new NetlinkPermissionException($"Opening an ICMP datagram socket in {ns} was refused: the process's group is not in net.ipv4.ping_group_range of that namespace.", ex.Errno);
            }
        }

        try
        {
            return new IcmpEchoClient(CreateSocket(ns, family, LibC.SOCK_RAW), family, IcmpSocketKind.Raw, time);
        }
        catch (NetlinkPermissionException ex)
        {
            throw new NetlinkPermissionException(
                $"Opening an ICMP socket in {ns} was refused: add the process's group to net.ipv4.ping_group_range of that namespace, or grant CAP_NET_RAW.",
                ex.Errno);
        }
    }

    /// <summary>
    /// Sends one echo request to <paramref name="target"/> and waits up to <paramref name="timeout"/> for its reply.
    /// </summary>
    /// <returns>The round-trip time, or null when no reply came in time (or the host said it is unreachable).</returns>
    /// <exception cref="SocketException">Sending failed for another reason than an unreachable network or host.</exception>
    public async Task<TimeSpan?> PingAsync(IPAddress target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (target.AddressFamily != Family)
        {
            throw new ArgumentException($"{target} is not an {Family} address.", nameof(target));
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("One echo request at a time per client.");
        }

        try
        {
            return await PingOnceAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private async Task<TimeSpan?> PingOnceAsync(IPAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sequence = ++_sequence;
        var request = BuildRequest(sequence);
        var started = _time.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(target, 0), deadline.Token).ConfigureAwait(false);
            var any = new IPEndPoint(Family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, any, deadline.Token).ConfigureAwait(false);
                if (received.RemoteEndPoint is IPEndPoint from && from.Address.Equals(target) && IsReplyTo(_receiveBuffer.AsSpan(0, received.ReceivedBytes), sequence))
                {
                    return _time.GetElapsedTime(started);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown or SocketError.NoBufferSpaceAvailable)
        {
            // No route, the neighbour did not resolve (a datagram socket reports the ICMP error), or the link has no
            // carrier and its queue is full (ENOBUFS): the request did not get out, a miss.
            return null;
        }
    }

    private byte[] BuildRequest(ushort sequence)
    {
        var packet = new byte[HeaderLength + PayloadLength];
        packet[0] = Family == AddressFamily.InterNetwork ? EchoRequestV4 : EchoRequestV6;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), _identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        _token.CopyTo(packet.AsSpan(HeaderLength));
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(HeaderLength + 8), _time.GetTimestamp());
        if (Family == AddressFamily.InterNetwork)
        {
            // The kernel computes the ICMPv6 checksum itself (RFC 3542 §3.1); for ICMP over IPv4 it is ours (RFC 792).
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), InternetChecksum.Fold(InternetChecksum.Add(0, packet)));
        }

        return packet;
    }

    private bool IsReplyTo(ReadOnlySpan<byte> data, ushort sequence)
    {
        if (Family == AddressFamily.InterNetwork && Kind == IcmpSocketKind.Raw)
        {
            // A raw IPv4 socket receives the IP header too: its length is IHL × 4 bytes (RFC 791).
            if (data.Length < 20)
            {
                return false;
            }

            data = data[((data[0] & 0x0F) * 4)..];
        }

        if (data.Length < HeaderLength + PayloadLength || data[1] != 0)
        {
            return false;
        }

        var replyType = Family == AddressFamily.InterNetwork ? EchoReplyV4 : EchoReplyV6;
        return data[0] == replyType
            && (Kind == IcmpSocketKind.Datagram || BinaryPrimitives.ReadUInt16BigEndian(data[4..]) == _identifier)
            && BinaryPrimitives.ReadUInt16BigEndian(data[6..]) == sequence
            && data.Slice(HeaderLength, _token.Length).SequenceEqual(_token);
    }

    private static Socket CreateSocket(NetworkNamespace ns, AddressFamily family, int type)
    {
        var (domain, protocol) = family == AddressFamily.InterNetwork ? (LibC.AF_INET, LibC.IPPROTO_ICMP) : (LibC.AF_INET6, LibC.IPPROTO_ICMPV6);
        using var handle = ns.CreateSocket(domain, type, protocol);

        // Hand the descriptor to a managed Socket for epoll-driven async I/O; the SafeHandle gives up ownership.
        var fd = handle.DangerousGetHandle();
        handle.SetHandleAsInvalid();
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }
}
