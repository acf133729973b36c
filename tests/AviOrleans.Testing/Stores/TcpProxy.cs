using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Testing.Stores;

/// <summary>
/// A loopback TCP forwarder in front of a server, used to take the server "down" for one client: during an
/// outage every connection through it is reset and new ones are reset as soon as they are accepted, while the
/// server itself (shared with other tests) keeps running.
/// </summary>
public sealed class TcpProxy : IStoreOutage
{
    private readonly IPEndPoint _target;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Socket> _connections = new();
    private readonly Task _acceptLoop;
    private volatile bool _down;

    public TcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public Task StartAsync()
    {
        _down = true;
        foreach (var (client, server) in _connections)
        {
            Reset(client);
            Reset(server);
        }

        _connections.Clear();
        return Task.CompletedTask;
    }

    public Task EndAsync()
    {
        _down = false;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await StartAsync();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_down)
            {
                Reset(client);
                continue;
            }

            var server = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                Reset(client);
                Reset(server);
                continue;
            }

            _connections[client] = server;
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Reset(from);
        Reset(to);
        _connections.TryRemove(from, out _);
        _connections.TryRemove(to, out _);
    }

    // Linger 0 makes Close send a reset: the client sees its connection die, not a polite end.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        socket.Close();
    }
}
