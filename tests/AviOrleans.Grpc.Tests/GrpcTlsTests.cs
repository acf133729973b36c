using System.Net;
using AviOrleans.Grpc.Tests.Echo;
using AviOrleans.Testing;

namespace AviOrleans.Grpc.Tests;

/// <summary>TLS from PEM files, with HTTP/2 chosen by ALPN.</summary>
public sealed class GrpcTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TlsFiles _tls = TlsFiles.Create();
    private EchoServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EchoServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await EchoServer.StartAsync(tls: _tls);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _tls.Dispose();
    }

    [Fact]
    public async Task Tls_TrustedCertificate_UnaryAndStreamingWork()
    {
        using var channel = GrpcChannel.ForAddress(Server.TlsAddress!, new GrpcChannelOptions { TrustedServerCertificate = _tls.Certificate });

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest { Text = "secure" }).WaitAsync(Bound, Ct);
        var count = 0;
        await foreach (var item in channel.ServerStreamingAsync<CountRequest, CountReply>("aviorleans.test.echo.Echo/Count", new CountRequest { Count = 10 }, cancellationToken: Ct))
        {
            count = item.Value;
        }

        Assert.Equal("secure", reply.Text);
        Assert.Equal(10, count);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_Unavailable()
    {
        using var channel = GrpcChannel.ForAddress(Server.TlsAddress!);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest()).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Tls_Http11Request_Refused426WithReason()
    {
        using var http = RawGrpc.CreateHttpClient(_tls.Certificate);

        var result = await RawGrpc.SendAsync(http, Server.TlsAddress!, "/aviorleans.test.echo.Echo/Say", RawGrpc.Frame(new EchoRequest()), version: HttpVersion.Version11).WaitAsync(Bound, Ct);

        Assert.Equal(HttpStatusCode.UpgradeRequired, result.HttpStatus);
        Assert.Equal(StatusCode.Internal, result.Status);
        Assert.Equal("Request protocol 'HTTP/1.1' is not supported. gRPC needs HTTP/2.", result.Message);
        Assert.Equal(HttpVersion.Version11, result.HttpVersion);
    }
}
