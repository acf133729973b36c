using System.Threading.Channels;
using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>
/// Listens to the rtnetlink groups RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR, so that an address
/// removed or a link taken down behind the owner's back is seen at once; optionally also to RTNLGRP_NEIGH (neighbour
/// entries: which MAC an address resolves to, e.g. after a gratuitous ARP).
/// </summary>
/// <remarks>
/// A dedicated background thread blocks in poll(2) (woken every 200 ms to notice disposal) and writes each change
/// to <see cref="Changes"/>. When the kernel drops notifications (ENOBUFS) a <see cref="ChangesLost"/> is written
/// instead, and the reader must resynchronise from a full listing.
/// </remarks>
public sealed class NetlinkChangeMonitor : IDisposable
{
    private const int PollMilliseconds = 200;

    private readonly NetlinkSocket _socket;
    private readonly Channel<NetworkChange> _changes = Channel.CreateUnbounded<NetworkChange>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Dictionary<int, string> _names;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private NetlinkChangeMonitor(NetworkNamespace networkNamespace, bool neighbors)
    {
        _socket = new NetlinkSocket(networkNamespace);
        try
        {
            // Join the groups before listing the links, so that no change falls between the two.
            _socket.AddMembership(RtnetlinkConstants.RTNLGRP_LINK);
            _socket.AddMembership(RtnetlinkConstants.RTNLGRP_IPV4_IFADDR);
            _socket.AddMembership(RtnetlinkConstants.RTNLGRP_IPV6_IFADDR);
            if (neighbors)
            {
                _socket.AddMembership(RtnetlinkConstants.RTNLGRP_NEIGH);
            }

            using (var client = NetlinkRouteClient.Open(networkNamespace))
            {
                _names = client.ListLinks().ToDictionary(l => l.Index, l => l.Name);
            }
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "rtnetlink monitor" };
        _thread.Start();
    }

    /// <summary>The changes, in the order the kernel sent them. Completes when the monitor is disposed, or with the error
    /// that stopped it.</summary>
    public ChannelReader<NetworkChange> Changes => _changes.Reader;

    /// <summary>Starts listening in <paramref name="networkNamespace"/> (default: the current one); with
    /// <paramref name="neighbors"/> also to neighbour entries (<see cref="NeighborChange"/>). Default: links and addresses only,
    /// since a busy LAN changes neighbour entries far more often than addresses.</summary>
    public static NetlinkChangeMonitor Start(NetworkNamespace? networkNamespace = null, bool neighbors = false) => new(networkNamespace ?? NetworkNamespace.Current, neighbors);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _thread.Join();
        _socket.Dispose();
        _changes.Writer.TryComplete();
    }

    private void Run()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stopping)
            {
                int received;
                try
                {
                    received = _socket.Receive(buffer, PollMilliseconds);
                }
                catch (NetlinkException ex) when (ex.Errno == LibC.ENOBUFS)
                {
                    _changes.Writer.TryWrite(new ChangesLost());
                    continue;
                }

                var span = (ReadOnlySpan<byte>)buffer.AsSpan(0, received);
                while (NetlinkMessageReader.TryReadMessage(ref span, out var header, out var payload))
                {
                    var change = Parse(header.nlmsg_type, payload);
                    if (change is not null)
                    {
                        _changes.Writer.TryWrite(change);
                    }
                }
            }
        }
#pragma warning disable CA1031 // Thread boundary: the error completes the channel, where the reader sees it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _changes.Writer.TryComplete(ex);
        }
    }

    private NetworkChange? Parse(ushort type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case RtnetlinkConstants.RTM_NEWLINK:
            case RtnetlinkConstants.RTM_DELLINK:
                var link = NetlinkRouteClient.ParseLink(payload);
                if (type == RtnetlinkConstants.RTM_NEWLINK)
                {
                    _names[link.Index] = link.Name;
                }
                else
                {
                    _names.Remove(link.Index);
                }

                return new LinkChange(link, type == RtnetlinkConstants.RTM_DELLINK);
            case RtnetlinkConstants.RTM_NEWADDR:
            case RtnetlinkConstants.RTM_DELADDR:
                return NetlinkRouteClient.TryParseAddress(payload, _names, out var address)
                    ? new AddressChange(address, type == RtnetlinkConstants.RTM_DELADDR)
                    : null;
            case RtnetlinkConstants.RTM_NEWNEIGH:
            case RtnetlinkConstants.RTM_DELNEIGH:
                return NetlinkRouteClient.TryParseNeighbor(payload, _names, out var neighbor)
                    ? new NeighborChange(neighbor, type == RtnetlinkConstants.RTM_DELNEIGH)
                    : null;
            default:
                return null;
        }
    }
}
