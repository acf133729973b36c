using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary><c>HEALTH_MONITOR_TCP</c>: the server passes when a TCP connection to it opens within the receive timeout.</summary>
internal static class TcpHealthCheck
{
    public static async Task<CheckResult> RunAsync(IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            return CheckResult.Pass;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckResult.Fail($"TCP connect to {server} timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            return CheckResult.Fail($"TCP connect to {server} failed: {Describe(ex)}");
        }
    }

    /// <summary>The socket error in words people know (connection refused, ...), with the errno name.</summary>
    public static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.TimedOut => "timed out",
        _ => ex.SocketErrorCode.ToString(),
    };
}
