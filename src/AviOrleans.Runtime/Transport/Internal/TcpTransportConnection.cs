using System.Net.Sockets;

namespace AviOrleans.Runtime.Transport.Internal;

internal sealed class TcpTransportConnection(Socket socket) : ITransportConnection
{
    public Stream Stream { get; } = new NetworkStream(socket, ownsSocket: true);

    public void Abort()
    {
        try
        {
            // Linger 0 makes Close send a reset instead of a graceful FIN.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing to abort.
        }

        socket.Close();
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
