using AviOrleans.Grpc.Tests.Echo;

namespace AviOrleans.Grpc.Tests;

/// <summary>Echo handlers written as methods named like the RPCs, for <see cref="GrpcServiceDefinition.Bind"/>.</summary>
public sealed class ConventionEcho
{
    private int _calls;

    /// <summary>How many calls reached this instance.</summary>
    public int Calls => _calls;

    public Task<EchoReply> Say(EchoRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new EchoReply { Text = "bound " + request.Text, Caller = context.Caller.Role.ToString() });
    }

    public async Task CountAsync(CountRequest request, IServerStreamWriter<CountReply> writer, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        for (var i = 1; i <= request.Count; i++)
        {
            await writer.WriteAsync(new CountReply { Value = i * 10 }, context.CancellationToken);
        }
    }

    public async Task<CountReply> Sum(IAsyncStreamReader<CountReply> requests, ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        var sum = 0;
        await foreach (var item in requests.ReadAllAsync(context.CancellationToken))
        {
            sum += item.Value;
        }

        return new CountReply { Value = sum };
    }

    [GrpcRequiredRole(GrpcRole.Admin)]
    public Task<EchoReply> Configure(EchoRequest request, ServerCallContext context) => Say(request, context);
}
