using AviOrleans.Grpc.Tests.Echo;
using AviOrleans.Testing;
using Google.Protobuf;

namespace AviOrleans.Grpc.Tests;

/// <summary>Calls through the .NET client against the Echo service on real sockets.</summary>
public sealed class GrpcCallTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private EchoServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unary_Say_ReturnsTextHeaderAndCaller()
    {
        using var channel = Server.CreateChannel();
        var headers = new Metadata { { "x-echo", "hello header" } };

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest { Text = "héllo" }, new CallOptions(headers))
            .WaitAsync(Bound, Ct);

        Assert.Equal("héllo", reply.Text);
        Assert.Equal("hello header", reply.Header);
        Assert.Equal("local:Admin", reply.Caller);
    }

    [Fact]
    public async Task Unary_ByMethodDescriptor_SameAsByPath()
    {
        using var channel = Server.CreateChannel();
        var say = EchoReflection.Descriptor.Services[0].FindMethodByName("Say");

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(say, new EchoRequest { Text = "descriptor" }).WaitAsync(Bound, Ct);

        Assert.Equal("descriptor", reply.Text);
        Assert.Throws<ArgumentException>(() => channel.ServerStreamingAsync<EchoRequest, EchoReply>(say, new EchoRequest(), cancellationToken: Ct));
    }

    [Fact]
    public async Task ServerStreaming_Count_StreamsEveryMessageInOrder()
    {
        using var channel = Server.CreateChannel();

        var values = await Collect(channel.ServerStreamingAsync<CountRequest, CountReply>("/aviorleans.test.echo.Echo/Count", new CountRequest { Count = 500 }, cancellationToken: Ct));

        Assert.Equal(Enumerable.Range(1, 500), values.Select(v => v.Value));
    }

    [Fact]
    public async Task ServerStreaming_NoMessages_EndsOkWithEmptyStream()
    {
        using var channel = Server.CreateChannel();

        var values = await Collect(channel.ServerStreamingAsync<CountRequest, CountReply>("aviorleans.test.echo.Echo/Count", new CountRequest { Count = 0 }, cancellationToken: Ct));

        Assert.Empty(values);
    }

    [Fact]
    public async Task Fail_RpcException_StatusDetailAndTrailersReachClient()
    {
        using var channel = Server.CreateChannel();
        const string detail = "vs 'web%1' not found: naïve ✓, 100% sure";

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<FailRequest, EchoReply>("aviorleans.test.echo.Echo/Fail", new FailRequest { Kind = "rpc", Detail = detail }).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(detail, ex.Status.Detail);
        Assert.Equal("kept", ex.Trailers.GetValue("x-trailer"));
    }

    [Fact]
    public async Task Fail_MappedValidationException_InvalidArgumentWithFieldViolation()
    {
        using var channel = Server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<FailRequest, EchoReply>("aviorleans.test.echo.Echo/Fail", new FailRequest { Kind = "validation", Detail = "must be HA_MODE_SHARED" }).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("ha_mode: must be HA_MODE_SHARED", ex.Status.Detail);
        var violation = Assert.Single(ex.GetFieldViolations());
        Assert.Equal(("ha_mode", "must be HA_MODE_SHARED"), violation);
        Assert.Equal((int)StatusCode.InvalidArgument, ex.GetRpcStatus()!.Code);
    }

    [Fact]
    public async Task Fail_UnmappedException_UnknownWithoutInternalDetail()
    {
        using var channel = Server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<FailRequest, EchoReply>("aviorleans.test.echo.Echo/Fail", new FailRequest { Kind = "crash" }).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Equal("Exception was thrown by handler.", ex.Status.Detail);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_ContextStatusSet_StatusSentWithoutMessage()
    {
        using var channel = Server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<FailRequest, EchoReply>("aviorleans.test.echo.Echo/Fail", new FailRequest { Kind = "status", Detail = "conflict" }).WaitAsync(Bound, Ct));

        Assert.Equal(new Status(StatusCode.Aborted, "conflict"), ex.Status);
    }

    [Fact]
    public async Task Deadline_SlowUnary_DeadlineExceededAndHandlerTokenFires()
    {
        using var channel = Server.CreateChannel();
        var probe = Server.Echo.Probe(nameof(Deadline_SlowUnary_DeadlineExceededAndHandlerTokenFires));

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<SlowRequest, EchoReply>(
            "aviorleans.test.echo.Echo/Slow",
            new SlowRequest { DelayMs = 60_000, Probe = nameof(Deadline_SlowUnary_DeadlineExceededAndHandlerTokenFires) },
            new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(300))).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await probe.Cancelled.Task.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task Deadline_ServerSide_SendsDeadlineExceededToClientWithLongerPatience()
    {
        // The server's own timer, not the client's: a raw request with grpc-timeout and no client deadline.
        using var http = RawGrpc.CreateHttpClient();
        var probe = Server.Echo.Probe(nameof(Deadline_ServerSide_SendsDeadlineExceededToClientWithLongerPatience));
        var body = RawGrpc.Frame(new SlowRequest { DelayMs = 60_000, Probe = nameof(Deadline_ServerSide_SendsDeadlineExceededToClientWithLongerPatience) });

        var result = await RawGrpc.SendAsync(http, Server.H2cAddress, "/aviorleans.test.echo.Echo/Slow", body, headers: [("grpc-timeout", "200m")]).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.DeadlineExceeded, result.Status);
        Assert.Equal("Deadline Exceeded", result.Message);
        await probe.Cancelled.Task.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task Deadline_HandlerIgnoresToken_StatusSentWithoutWaitingForHandler()
    {
        using var http = RawGrpc.CreateHttpClient();
        const string name = nameof(Deadline_HandlerIgnoresToken_StatusSentWithoutWaitingForHandler);
        var probe = Server.Echo.Probe(name);
        var body = RawGrpc.Frame(new SlowRequest { DelayMs = 600_000, Probe = name, IgnoreToken = true });

        try
        {
            // Bounded well below the handler's 10 minutes: only the server's deadline can end this call.
            var result = await RawGrpc.SendAsync(http, Server.H2cAddress, "/aviorleans.test.echo.Echo/Slow", body, headers: [("grpc-timeout", "300m")]).WaitAsync(Bound, Ct);

            Assert.Equal(StatusCode.DeadlineExceeded, result.Status);
            Assert.Empty(result.Messages);
        }
        finally
        {
            probe.Release.TrySetResult();
        }
    }

    [Fact]
    public async Task Deadline_StreamAfterFirstMessage_DeadlineExceeded()
    {
        using var channel = Server.CreateChannel();
        var received = new List<int>();

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var item in channel.ServerStreamingAsync<SlowRequest, CountReply>(
                "aviorleans.test.echo.Echo/SlowStream",
                new SlowRequest { DelayMs = 60_000, Probe = nameof(Deadline_StreamAfterFirstMessage_DeadlineExceeded) },
                new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(2)),
                Ct))
            {
                received.Add(item.Value);
            }
        }).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal([1], received);
    }

    [Fact]
    public async Task Cancel_ClientCancelsUnary_CancelledAndHandlerTokenFires()
    {
        using var channel = Server.CreateChannel();
        var probe = Server.Echo.Probe(nameof(Cancel_ClientCancelsUnary_CancelledAndHandlerTokenFires));
        using var cts = new CancellationTokenSource();

        var call = channel.UnaryAsync<SlowRequest, EchoReply>(
            "aviorleans.test.echo.Echo/Slow",
            new SlowRequest { DelayMs = 60_000, Probe = nameof(Cancel_ClientCancelsUnary_CancelledAndHandlerTokenFires) },
            new CallOptions(CancellationToken: cts.Token));
        await probe.Started.Task.WaitAsync(Bound, Ct);
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await probe.Cancelled.Task.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task Cancel_StreamAbandoned_HandlerTokenFires()
    {
        using var channel = Server.CreateChannel();
        var name = nameof(Cancel_StreamAbandoned_HandlerTokenFires);
        var probe = Server.Echo.Probe(name);

        await foreach (var item in channel.ServerStreamingAsync<SlowRequest, CountReply>("aviorleans.test.echo.Echo/SlowStream", new SlowRequest { DelayMs = 60_000, Probe = name }, cancellationToken: Ct))
        {
            Assert.Equal(1, item.Value);
            await probe.Started.Task.WaitAsync(Bound, Ct);
            break;
        }

        await probe.Cancelled.Task.WaitAsync(Bound, Ct);
    }

    [Fact]
    public async Task Size_ResponseOverClientLimit_ResourceExhausted()
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 * 1024 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<BigRequest, BigReply>("aviorleans.test.echo.Echo/Big", new BigRequest { Size = 2 * 1024 * 1024 }).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Size_ResponseOverServerSendLimit_ResourceExhausted()
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = null });

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<BigRequest, BigReply>("aviorleans.test.echo.Echo/Big", new BigRequest { Size = 5 * 1024 * 1024 }).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("Sending message exceeds the maximum configured message size.", ex.Status.Detail);
    }

    [Fact]
    public async Task Size_RequestOverServerLimit_ResourceExhaustedAndServerStillServes()
    {
        using var channel = Server.CreateChannel();
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1]) };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", big).WaitAsync(Bound, Ct));
        var after = await channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest { Text = "still here" }).WaitAsync(Bound, Ct);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("still here", after.Text);
    }

    [Fact]
    public async Task Size_ThreeMegabyteRequest_Accepted()
    {
        using var channel = Server.CreateChannel();
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[3 * 1024 * 1024]) };

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", big).WaitAsync(Bound, Ct);

        Assert.Equal(3 * 1024 * 1024, reply.PayloadSize);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compression_RequestCompressed_ServerDecodesAndAnswersCompressed(string algorithm)
    {
        using var channel = Server.CreateChannel(new GrpcChannelOptions { CompressionAlgorithm = algorithm });
        var payload = ByteString.CopyFrom(Enumerable.Range(0, 200_000).Select(i => (byte)(i % 7)).ToArray());

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest { Text = "zipped", Payload = payload }).WaitAsync(Bound, Ct);
        var big = await channel.UnaryAsync<BigRequest, BigReply>("aviorleans.test.echo.Echo/Big", new BigRequest { Size = 100_000 }).WaitAsync(Bound, Ct);

        Assert.Equal("zipped", reply.Text);
        Assert.Equal(200_000, reply.PayloadSize);
        Assert.Equal(100_000, big.Payload.Length);
        Assert.Equal(250, big.Payload[250]);
    }

    [Theory]
    [InlineData("aviorleans.test.echo.Echo/NotThere", "Method is unimplemented.")]
    [InlineData("aviorleans.test.echo.Echo/NoSuchMethod", "Method is unimplemented.")]
    [InlineData("no.such.Service/Method", "Service is unimplemented.")]
    public async Task Unimplemented_UnknownMethodOrService_Unimplemented(string method, string detail)
    {
        using var channel = Server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>(method, new EchoRequest()).WaitAsync(Bound, Ct));

        Assert.Equal(new Status(StatusCode.Unimplemented, detail), ex.Status);
    }

    [Fact]
    public async Task Concurrency_ManyParallelCalls_AllSucceed()
    {
        using var channel = Server.CreateChannel();

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))).WaitAsync(Bound, Ct);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), replies.Select(r => r.Text));
    }

    [Fact]
    public async Task Unavailable_NothingListening_Unavailable()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync<EchoRequest, EchoReply>("aviorleans.test.echo.Echo/Say", new EchoRequest()).WaitAsync(Bound, Ct));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private static Task<List<T>> Collect<T>(IAsyncEnumerable<T> source) => CollectCore(source).WaitAsync(Bound, Ct);

    private static async Task<List<T>> CollectCore<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(Ct))
        {
            list.Add(item);
        }

        return list;
    }
}
