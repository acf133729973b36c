using System.Collections.Concurrent;
using AviOrleans.Grpc.Tests.Echo;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Grpc.Tests;

/// <summary>The handlers of the test-only Echo service.</summary>
public sealed class EchoService
{
    public ConcurrentDictionary<string, CallProbe> Probes { get; } = new();

    public CallProbe Probe(string name) => Probes.GetOrAdd(name, _ => new CallProbe());

    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.Create(EchoReflection.Descriptor.Services[0])
            .AddUnary<EchoRequest, EchoReply>("Say", SayAsync)
            .AddServerStreaming<CountRequest, CountReply>("Count", CountAsync)
            .AddUnary<FailRequest, EchoReply>("Fail", FailAsync)
            .AddUnary<SlowRequest, EchoReply>("Slow", SlowAsync)
            .AddServerStreaming<SlowRequest, CountReply>("SlowStream", SlowStreamAsync)
            .AddUnary<BigRequest, BigReply>("Big", BigAsync)
            .AddClientStreaming<CountReply, CountReply>("Sum", SumAsync)
            .AddDuplexStreaming<EchoRequest, EchoReply>("Chat", ChatAsync)
            .AddUnary<EchoRequest, EchoReply>("Configure", SayAsync, GrpcRole.Admin);

    private static async Task<EchoReply> SayAsync(EchoRequest request, ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue("x-initial") is { } initial)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-initial", initial } });
        }

        return new EchoReply
        {
            Text = request.Text,
            Caller = context.Caller.Name + ":" + context.Caller.Role,
            Header = context.RequestHeaders.GetValue("x-echo") ?? string.Empty,
            PayloadSize = request.Payload.Length,
            RequestEncoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString(),
        };
    }

    private static async Task CountAsync(CountRequest request, IServerStreamWriter<CountReply> writer, ServerCallContext context)
    {
        for (var i = 1; i <= request.Count; i++)
        {
            await writer.WriteAsync(new CountReply { Value = i }, context.CancellationToken);
        }
    }

    private static Task<EchoReply> FailAsync(FailRequest request, ServerCallContext context)
    {
        switch (request.Kind)
        {
            case "rpc":
                context.ResponseTrailers.Add("x-trailer", "kept");
                throw new RpcException(StatusCode.NotFound, request.Detail);
            case "validation":
                throw new FieldValidationException("ha_mode", request.Detail);
            case "crash":
                throw new InvalidOperationException("secret internal detail");
            case "status":
                context.Status = new Status(StatusCode.Aborted, request.Detail);
                return Task.FromResult(new EchoReply { Text = "not sent" });
            default:
                return Task.FromResult(new EchoReply { Text = "ok" });
        }
    }

    private async Task<EchoReply> SlowAsync(SlowRequest request, ServerCallContext context)
    {
        var probe = Probe(request.Probe);
        probe.Started.TrySetResult();
        if (request.IgnoreToken)
        {
            await Task.WhenAny(Task.Delay(request.DelayMs, CancellationToken.None), probe.Release.Task);
            return new EchoReply { Text = "too late" };
        }

        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }

        return new EchoReply { Text = "done" };
    }

    private async Task SlowStreamAsync(SlowRequest request, IServerStreamWriter<CountReply> writer, ServerCallContext context)
    {
        var probe = Probe(request.Probe);
        await writer.WriteAsync(new CountReply { Value = 1 }, context.CancellationToken);
        probe.Started.TrySetResult();
        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }

        await writer.WriteAsync(new CountReply { Value = 2 }, context.CancellationToken);
    }

    private static Task<BigReply> BigAsync(BigRequest request, ServerCallContext context)
    {
        var payload = new byte[request.Size];
        for (var i = 0; i < payload.Length; i++)
        {
            // Compressible but not trivially so.
            payload[i] = (byte)(i % 251);
        }

        return Task.FromResult(new BigReply { Payload = ByteString.CopyFrom(payload) });
    }

    private static async Task<CountReply> SumAsync(IAsyncStreamReader<CountReply> requests, ServerCallContext context)
    {
        var sum = 0;
        await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
        {
            sum += item.Value;
        }

        return new CountReply { Value = sum };
    }

    private static async Task ChatAsync(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> writer, ServerCallContext context)
    {
        await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
        {
            await writer.WriteAsync(new EchoReply { Text = "re: " + item.Text }, context.CancellationToken);
        }
    }

    /// <summary>Keeps the Empty import used so that reflection must resolve a dependency.</summary>
    internal static Empty Nothing => new();
}
