using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>
/// <c>HEALTH_MONITOR_HTTP</c>: sends <c>http_request</c> as the request line with a <c>Host</c> header and
/// <c>Connection: close</c> (as Avi does unless <c>exact_http_request</c>), and passes when the status line arrives
/// within the receive timeout with a status in <c>http_response_code</c> (2xx by default). Plain sockets rather than
/// HttpClient: the request line is the user's, sent as written.
/// </summary>
internal static class HttpHealthCheck
{
    // Avi matches within the first 2 KB of the response; the status line is all this check reads.
    private const int MaxStatusLine = 2048;

    public static async Task<CheckResult> RunAsync(IPEndPoint server, HealthMonitorHttp http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            var host = server.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{server.Address}]:{server.Port}" : server.ToString();
            var request = Encoding.ASCII.GetBytes($"{http.HttpRequest}\r\nHost: {host}\r\nConnection: close\r\nUser-Agent: aviorleans-hm\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var statusLine = await ReadStatusLineAsync(socket, deadline.Token).ConfigureAwait(false);
            if (statusLine is null || !TryParseStatus(statusLine, out var status))
            {
                return CheckResult.Fail($"HTTP {server}: no valid status line in the response");
            }

            return http.Accepts(status)
                ? CheckResult.Pass
                : CheckResult.Fail($"HTTP {server}: status {status.ToString(CultureInfo.InvariantCulture)} is not in http_response_code");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckResult.Fail($"HTTP {server}: no response within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException ex)
        {
            return CheckResult.Fail($"HTTP {server}: {TcpConnect.Describe(ex.SocketErrorCode)}");
        }
    }

    /// <summary>Parses <c>HTTP/1.x NNN reason</c> (RFC 9112 §4).</summary>
    public static bool TryParseStatus(string statusLine, out int status)
    {
        status = 0;
        var parts = statusLine.Split(' ', 3);
        return parts.Length >= 2
            && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            && parts[1].Length == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out status)
            && status is >= 100 and <= 599;
    }

    private static async Task<string?> ReadStatusLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxStatusLine];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end);
            }
        }

        return null;
    }
}
