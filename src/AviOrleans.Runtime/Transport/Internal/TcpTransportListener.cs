using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Runtime.Transport.Internal;

internal sealed class TcpTransportListener(Socket socket) : ITransportListener
{
    public IPEndPoint LocalEndPoint { get; } = (IPEndPoint)socket.LocalEndPoint!;

    public async Task<ITransportConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        accepted.NoDelay = true;
        return new TcpTransportConnection(accepted);
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
