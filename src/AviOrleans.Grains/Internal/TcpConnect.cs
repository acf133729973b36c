using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Grains.Internal;

/// <summary>One bounded TCP connection attempt, for the checks that only ask whether a port accepts: the pool health
/// monitors and the silo-port check of the datapath heartbeats.</summary>
internal static class TcpConnect
{
    /// <summary>How the attempt ended: <see cref="SocketError.Success"/> when the connection opened (it is closed again
    /// at once, before any byte), <see cref="SocketError.TimedOut"/> when <paramref name="timeout"/> passed first, else
    /// the socket error (<see cref="SocketError.ConnectionRefused"/>: nothing listens there).</summary>
    public static async Task<SocketError> AttemptAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            return SocketError.Success;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SocketError.TimedOut;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
    }

    /// <summary>The socket error in words people know (connection refused, ...), else its name.</summary>
    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.TimedOut => "timed out",
        _ => error.ToString(),
    };
}
