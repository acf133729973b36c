using System.Net;
using System.Net.Sockets;
using AviOrleans.Domain;
using AviOrleans.Grains.Monitoring.Internal;

namespace AviOrleans.Grains.Tests;

/// <summary>The TCP and HTTP checks against real servers on loopback, and Avi's consecutive-check thresholds.</summary>
public sealed class HealthCheckTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tcp_ListenerAccepts_PassesThenRefusedOnceItStops()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;

        var up = await TcpHealthCheck.RunAsync(endpoint, Timeout, Ct);
        listener.Stop();
        var down = await TcpHealthCheck.RunAsync(endpoint, Timeout, Ct);

        Assert.True(up.Passed);
        Assert.False(down.Passed);
        Assert.Contains("connection refused", down.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_ServerAnswers200_PassesWithTheRequestLineAndHostSent()
    {
        await using var server = await TinyHttpServer.StartAsync("HTTP/1.1 200 OK");

        var result = await HttpHealthCheck.RunAsync(server.Endpoint, new HealthMonitorHttp { HttpRequest = "GET /health HTTP/1.1" }, Timeout, Ct);
        var request = await server.LastRequest.WaitAsync(Timeout, Ct);

        Assert.True(result.Passed, result.Reason);
        Assert.StartsWith("GET /health HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains($"\r\nHost: {server.Endpoint}\r\n", request, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.0 503 Service Unavailable", new HttpResponseCode[0], false)]
    [InlineData("HTTP/1.0 503 Service Unavailable", new[] { HttpResponseCode.Http5xx }, true)]
    [InlineData("HTTP/1.0 302 Found", new[] { HttpResponseCode.Http2xx, HttpResponseCode.Http3xx }, true)]
    [InlineData("HTTP/1.0 404 Not Found", new[] { HttpResponseCode.HttpAny }, true)]
    [InlineData("SSH-2.0-OpenSSH_9.6", new[] { HttpResponseCode.HttpAny }, false)]
    public async Task Http_Status_PassesOnlyInHttpResponseCode(string statusLine, HttpResponseCode[] codes, bool passes)
    {
        await using var server = await TinyHttpServer.StartAsync(statusLine);

        var result = await HttpHealthCheck.RunAsync(server.Endpoint, new HealthMonitorHttp { HttpResponseCode = [.. codes] }, Timeout, Ct);

        Assert.Equal(passes, result.Passed);
        Assert.Equal(passes, result.Reason.Length == 0);
    }

    [Fact]
    public async Task Http_ServerNeverAnswers_FailsAfterTheReceiveTimeout()
    {
        await using var server = await TinyHttpServer.StartAsync(statusLine: null);

        var result = await HttpHealthCheck.RunAsync(server.Endpoint, new HealthMonitorHttp(), TimeSpan.FromMilliseconds(300), Ct);

        Assert.False(result.Passed);
        Assert.Contains("no response within", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsecutiveChecks_AviThresholds_DownAfterFailuresUpAfterPasses()
    {
        var checks = new ConsecutiveChecks(failThreshold: 3, successThreshold: 2, initial: true);

        var trace = new[] { false, false, true, false, false, false, true, false, true, true }
            .Select(passed => (Changed: checks.Record(passed), checks.IsUp))
            .ToArray();

        Assert.Equal(
            [
                (false, (bool?)true), (false, true), (false, true), (false, true), (false, true),
                (true, false), (false, false), (false, false), (false, false), (true, true),
            ],
            trace);
    }

    [Fact]
    public void ConsecutiveChecks_NoStateYet_FirstResultDecides()
    {
        var up = new ConsecutiveChecks(failThreshold: 2, successThreshold: 2, initial: null);
        var down = new ConsecutiveChecks(failThreshold: 2, successThreshold: 2, initial: null);

        Assert.True(up.Record(true));
        Assert.True(down.Record(false));
        Assert.Equal((true, false), (up.IsUp, down.IsUp));
    }
}
