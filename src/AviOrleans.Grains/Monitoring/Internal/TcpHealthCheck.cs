using System.Net;
using System.Net.Sockets;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary><c>HEALTH_MONITOR_TCP</c>: the server passes when a TCP connection to it opens within the receive timeout.</summary>
internal static class TcpHealthCheck
{
    public static async Task<CheckResult> RunAsync(IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken) =>
        await TcpConnect.AttemptAsync(server, timeout, cancellationToken).ConfigureAwait(false) switch
        {
            SocketError.Success => CheckResult.Pass,
            SocketError.TimedOut => CheckResult.Fail($"TCP connect to {server} timed out after {timeout.TotalSeconds:0.#} s"),
            var error => CheckResult.Fail($"TCP connect to {server} failed: {TcpConnect.Describe(error)}"),
        };
}
