using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AviOrleans.Grains.Tests;

/// <summary>
/// An HTTP server on loopback that answers every request with one status line (or, given null, never answers), and
/// keeps the first request it read. Connections that close without a request (TCP health checks) are fine.
/// </summary>
internal sealed class TinyHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string? _statusLine;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _request = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _serving = Task.CompletedTask;

    private TinyHttpServer(TcpListener listener, string? statusLine)
    {
        _listener = listener;
        _statusLine = statusLine;
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public Task<string> LastRequest => _request.Task;

    public static Task<TinyHttpServer> StartAsync(string? statusLine)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = new TinyHttpServer(listener, statusLine);
        server._serving = server.AcceptAsync();
        return Task.FromResult(server);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var length = 0;
                while (length < buffer.Length && buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
                    if (read == 0)
                    {
                        return; // a TCP check: connected and closed
                    }

                    length += read;
                }

                _request.TrySetResult(Encoding.ASCII.GetString(buffer, 0, length));
                if (_statusLine is null)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, _stop.Token);
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(_statusLine + "\r\nContent-Length: 0\r\n\r\n"), _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the server stops.
            }
        }
    }
}
