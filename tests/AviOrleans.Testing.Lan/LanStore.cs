using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// The store's machine on the LAN (192.0.2.2). The PostgreSQL server itself runs outside the LAN (scripts/test.sh
/// starts one on 127.0.0.1 and exports its connection string); the harness listens on <see cref="Endpoint"/> inside
/// this namespace and relays every connection, byte for byte, to that server. So the hosts reach the store over the
/// bridge, like a database machine on the LAN, and the faults act on it: a partitioned host loses its store, a frozen
/// one stops talking to it; and the server's own listen address never changes, nor leaves loopback.
/// </summary>
public sealed class LanStore : LanNode
{
    private readonly Lock _lock = new();
    private readonly List<Socket> _connections = [];
    private Socket? _listener;

    internal LanStore(VirtualLan lan, string name, IPAddress address, int port, string? upstreamConnectionString)
        : base(lan, name, address)
    {
        Endpoint = new IPEndPoint(address, port);
        UpstreamConnectionString = upstreamConnectionString;
        Upstream = upstreamConnectionString is null ? null : ParseUpstream(upstreamConnectionString);
    }

    /// <summary>Where the hosts reach the store: 192.0.2.2 and the store port (default 5432).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The server's own connection string (from <see cref="LanOptions.StoreConnectionString"/>), or null when the
    /// LAN has no store.</summary>
    public string? UpstreamConnectionString { get; }

    /// <summary>The server the store relays to (TCP, or the server's Unix socket when its Host is a folder), or null.</summary>
    public EndPoint? Upstream { get; }

    /// <summary>True when a server is configured.</summary>
    public bool IsAvailable => Upstream is not null;

    /// <summary>The server's connection string with Host and Port pointing at <see cref="Endpoint"/>: what a process on an
    /// SE host uses. Throws when the LAN has no store.</summary>
    public string ConnectionString
    {
        get
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = UpstreamConnectionString ?? throw new InvalidOperationException("The LAN has no store: LanOptions.StoreConnectionString (default: AVIORLEANS_TEST_POSTGRES) is not set.") };
            builder.Remove("Server");
            builder["Host"] = Endpoint.Address.ToString();
            builder["Port"] = Endpoint.Port.ToString(CultureInfo.InvariantCulture);
            return builder.ConnectionString;
        }
    }

    /// <summary>Starts listening inside the namespace (only when a server is configured).</summary>
    internal async Task StartRelayAsync()
    {
        if (Upstream is null)
        {
            return;
        }

        var listener = await CreateSocketAsync().ConfigureAwait(false);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(Endpoint);
        listener.Listen(512);
        _listener = listener;
        _ = AcceptAsync(listener);
    }

    /// <inheritdoc/>
    internal override void Release()
    {
        // Disposing the sockets ends the accept loop and every relay.
        _listener?.Dispose();
        lock (_lock)
        {
            foreach (var socket in _connections)
            {
                socket.Dispose();
            }

            _connections.Clear();
        }

        base.Release();
    }

    private static EndPoint ParseUpstream(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var host = (builder.TryGetValue("Host", out var h) ? h : builder.TryGetValue("Server", out var s) ? s : null) as string;
        var port = builder.TryGetValue("Port", out var p) ? int.Parse(Convert.ToString(p, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture) : 5432;
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new LanException("The store's connection string has no Host.");
        }

        if (host.StartsWith('/'))
        {
            // Npgsql's convention: a Host that is a folder means the server's Unix socket in it.
            return new UnixDomainSocketEndPoint(Path.Combine(host, $".s.PGSQL.{port}"));
        }

        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(accepted);
        }
    }

    private async Task RelayAsync(Socket accepted)
    {
        // The upstream socket is made on a thread-pool thread, so in the harness's own (root) namespace, where the
        // server listens.
        var upstream = new Socket(Upstream!.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : Upstream.AddressFamily, SocketType.Stream, Upstream is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        lock (_lock)
        {
            _connections.Add(accepted);
            _connections.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(Upstream).ConfigureAwait(false);
            await Task.WhenAll(PumpAsync(accepted, upstream), PumpAsync(upstream, accepted)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // A side closed or reset, or the LAN is going away: the relay ends with it.
        }
        finally
        {
            lock (_lock)
            {
                _connections.Remove(accepted);
                _connections.Remove(upstream);
            }

            accepted.Dispose();
            upstream.Dispose();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // One side went away: close both, so the other side sees it at once.
            from.Dispose();
            to.Dispose();
        }
    }
}
