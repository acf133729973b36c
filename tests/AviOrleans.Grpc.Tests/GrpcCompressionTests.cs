using AviOrleans.Grpc.Tests.Echo;
using AviOrleans.Testing;

namespace AviOrleans.Grpc.Tests;

/// <summary>A server that compresses its responses whenever the client accepts it.</summary>
public sealed class GrpcCompressionTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private EchoServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EchoServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await EchoServer.StartAsync(o => o.ResponseCompressionAlgorithm = "gzip");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Response_ClientAcceptsGzip_CompressedFramesAndHeader()
    {
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, "/aviorleans.test.echo.Echo/Big", RawGrpc.Frame(new BigRequest { Size = 50_000 }), headers: [("grpc-accept-encoding", "identity,gzip")]).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        Assert.Equal("gzip", Assert.Single(result.Headers.GetValues("grpc-encoding")));
        Assert.True(Assert.Single(result.Messages).Length < 50_000, "the frame should be compressed");
    }

    [Fact]
    public async Task Response_ClientAcceptsNothing_Uncompressed()
    {
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, "/aviorleans.test.echo.Echo/Big", RawGrpc.Frame(new BigRequest { Size = 50_000 })).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        Assert.False(result.Headers.Contains("grpc-encoding"));
        Assert.Equal(50_000, BigReply.Parser.ParseFrom(Assert.Single(result.Messages)).Payload.Length);
    }

    [Fact]
    public async Task Response_DotNetClient_DecompressesUnaryAndStream()
    {
        using var channel = Server.CreateChannel();

        var big = await channel.UnaryAsync<BigRequest, BigReply>("aviorleans.test.echo.Echo/Big", new BigRequest { Size = 300_000 }).WaitAsync(Bound, Ct);
        var count = 0;
        await foreach (var item in channel.ServerStreamingAsync<CountRequest, CountReply>("aviorleans.test.echo.Echo/Count", new CountRequest { Count = 50 }, cancellationToken: Ct))
        {
            count = item.Value;
        }

        Assert.Equal(300_000, big.Payload.Length);
        Assert.Equal(123, big.Payload[123]);
        Assert.Equal(50, count);
    }
}
