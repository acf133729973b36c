using System.IO.Compression;
using System.Net;
using AviOrleans.Grpc.Tests.Echo;
using AviOrleans.Testing;
using Google.Protobuf;

namespace AviOrleans.Grpc.Tests;

/// <summary>Input no real client sends: each gets the right status and the server keeps serving.</summary>
public sealed class GrpcBadInputTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private const string Say = "/aviorleans.test.echo.Echo/Say";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private EchoServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, byte[], string?, string?, StatusCode, string> MalformedRequests()
    {
        var valid = new EchoRequest { Text = "x" }.ToByteArray();
        var bomb = Gzip(new byte[10 * 1024 * 1024]);
        return new()
        {
            { "declared length over the limit", RawGrpc.Frame(new byte[16], declaredLength: 5_000_000), null, null, StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
            { "truncated message", RawGrpc.Frame(new byte[10], declaredLength: 100), null, null, StatusCode.Internal, "Incomplete message." },
            { "truncated header", [0, 0, 0], null, null, StatusCode.Internal, "Incomplete message." },
            { "garbage protobuf", RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), null, null, StatusCode.Internal, "Failed to deserialize request message." },
            { "bad compressed flag", RawGrpc.Frame(valid, flag: 7), null, null, StatusCode.Internal, "Unexpected compressed flag value 7 in the message header." },
            { "compressed flag without grpc-encoding", RawGrpc.Frame(valid, flag: 1), null, null, StatusCode.Internal, "Request sent a compressed message without a grpc-encoding header." },
            { "corrupt gzip", RawGrpc.Frame([1, 2, 3, 4, 5, 6], flag: 1), "gzip", null, StatusCode.Internal, "Failed to decompress a message with grpc-encoding 'gzip'." },
            { "gzip bomb over the limit", RawGrpc.Frame(bomb, flag: 1), "gzip", null, StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size." },
            { "unsupported grpc-encoding", RawGrpc.Frame(valid, flag: 1), "br", null, StatusCode.Unimplemented, "Unsupported grpc-encoding value 'br'. Supported encodings: identity,gzip,deflate" },
            { "two messages for a unary call", [.. RawGrpc.Frame(valid), .. RawGrpc.Frame(valid)], null, null, StatusCode.Internal, "Additional data after the message received." },
            { "empty body", [], null, null, StatusCode.Internal, "Request did not include a message." },
            { "unknown method", RawGrpc.Frame(valid), null, "/aviorleans.test.echo.Echo/Nope", StatusCode.Unimplemented, "Method is unimplemented." },
            { "unknown service", RawGrpc.Frame(valid), null, "/nope.Nope/Nope", StatusCode.Unimplemented, "Service is unimplemented." },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_Request_GetsStatusAndServerKeepsServing(string name, byte[] body, string? encoding, string? path, StatusCode expected, string detail)
    {
        using var http = RawGrpc.CreateHttpClient();
        var headers = encoding is null ? [] : new[] { ("grpc-encoding", encoding) };

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, path ?? Say, body, headers: headers).WaitAsync(Bound, Ct);

        Assert.True(result.HttpStatus == HttpStatusCode.OK, name);
        Assert.Equal(expected, result.Status);
        Assert.Equal(detail, result.Message);
        Assert.Empty(result.Messages);
        Assert.True(result.TrailersOnly, "an error before any message is a Trailers-Only response");
        if (expected == StatusCode.Unimplemented && encoding is not null)
        {
            Assert.Equal("identity,gzip,deflate", Assert.Single(result.Headers.GetValues("grpc-accept-encoding")));
        }

        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/grpc-web")]
    [InlineData(null)]
    public async Task ContentType_NotGrpc_Http415WithInternalStatus(string? contentType)
    {
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, Say, RawGrpc.Frame(new EchoRequest()), contentType).WaitAsync(Bound, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, result.HttpStatus);
        Assert.Equal(StatusCode.Internal, result.Status);
        Assert.StartsWith("Content-Type '", result.Message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ContentType_GrpcProto_Accepted()
    {
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, Say, RawGrpc.Frame(new EchoRequest { Text = "proto" }), "application/grpc+proto").WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        Assert.Equal("proto", EchoReply.Parser.ParseFrom(Assert.Single(result.Messages)).Text);
        Assert.False(result.TrailersOnly);
    }

    [Fact]
    public async Task Http11_OnH2cPort_Refused400WithReasonAndServerKeepsServing()
    {
        using var http = RawGrpc.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.H2cAddress, Say))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(RawGrpc.Frame(new EchoRequest())),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

        // The h2c endpoint speaks only HTTP/2 (prior knowledge); Kestrel itself refuses HTTP/1.x.
        using var response = await http.SendAsync(request, Ct).WaitAsync(Bound, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only endpoint", body, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ResponseHeaders_WrittenByHandler_ArriveBeforeMessage()
    {
        using var http = RawGrpc.CreateHttpClient();

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, Say, RawGrpc.Frame(new EchoRequest { Text = "h" }), headers: [("x-initial", "early")]).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        Assert.Equal("early", Assert.Single(result.Headers.GetValues("x-initial")));
        Assert.Equal("h", EchoReply.Parser.ParseFrom(Assert.Single(result.Messages)).Text);
    }

    [Fact]
    public async Task ClientStreaming_Sum_AddsEveryMessage()
    {
        using var http = RawGrpc.CreateHttpClient();
        byte[] body = [.. RawGrpc.Frame(new CountReply { Value = 1 }), .. RawGrpc.Frame(new CountReply { Value = 2 }), .. RawGrpc.Frame(new CountReply { Value = 39 })];

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, "/aviorleans.test.echo.Echo/Sum", body).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        Assert.Equal(42, CountReply.Parser.ParseFrom(Assert.Single(result.Messages)).Value);
    }

    [Fact]
    public async Task DuplexStreaming_Chat_AnswersEachMessage()
    {
        using var http = RawGrpc.CreateHttpClient();
        byte[] body = [.. RawGrpc.Frame(new EchoRequest { Text = "a" }), .. RawGrpc.Frame(new EchoRequest { Text = "b" })];

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, "/aviorleans.test.echo.Echo/Chat", body).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.OK, result.Status);
        Assert.Equal(["re: a", "re: b"], result.Messages.Select(m => EchoReply.Parser.ParseFrom(m).Text));
    }

    [Theory]
    [InlineData("GARBAGE / HTTP/9.9\r\nHost: nowhere\r\nX-Padding: 0123456789\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff")]
    public async Task RawSocket_GarbageFrames_ConnectionClosedAndServerKeepsServing(string garbage)
    {
        // The server answers with at most a GOAWAY, then closes the connection.
        await RawGrpc.SendGarbageUntilClosedAsync(Server.H2cAddress, garbage, Bound);

        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        using var channel = Server.CreateChannel();
        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(Say, new EchoRequest { Text = "alive" }).WaitAsync(Bound, Ct);
        Assert.Equal("alive", reply.Text);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
