using System.Net;
using System.Net.Sockets;
using AviOrleans.Runtime.Transport.Internal;

namespace AviOrleans.Runtime.Transport;

/// <summary>TCP sockets with Nagle off (every frame is latency-sensitive).</summary>
public sealed class TcpTransport : ITransport
{
    /// <summary>The shared instance; the transport holds no state.</summary>
    public static TcpTransport Instance { get; } = new();

    /// <inheritdoc/>
    public Task<ITransportListener> ListenAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Task.FromResult<ITransportListener>(new TcpTransportListener(socket));
    }

    /// <inheritdoc/>
    public async Task<ITransportConnection> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new TcpTransportConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
