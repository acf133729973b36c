using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Tests;

/// <summary>A grpc.health.v1 Watch on a gateway, read status by status.</summary>
internal sealed class HealthWatch : IAsyncDisposable
{
    private readonly IAsyncEnumerator<HealthCheckResponse> _stream;

    public HealthWatch(GrpcChannel channel, string service = "")
    {
        // The call ends with the channel (or the server): the enumerator only reads it.
        _stream = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = service }, cancellationToken: TestContext.Current.CancellationToken)
            .ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
    }

    /// <summary>The statuses streamed up to and including the first <paramref name="wanted"/>.</summary>
    public async Task<ServingStatus[]> UntilAsync(ServingStatus wanted)
    {
        var seen = new List<ServingStatus>();
        while (seen.Count == 0 || seen[^1] != wanted)
        {
            Assert.True(await _stream.MoveNextAsync().AsTask().WaitAsync(InProcessSilo.Bound, TestContext.Current.CancellationToken), "the watch ended early: " + string.Join(", ", seen));
            seen.Add(_stream.Current.Status);
        }

        return [.. seen];
    }

    /// <summary>The statuses streamed until the server ends the stream (it goes away with its host).</summary>
    public async Task<List<ServingStatus>> ToEndAsync()
    {
        var seen = new List<ServingStatus>();
        try
        {
            while (await _stream.MoveNextAsync().AsTask().WaitAsync(InProcessSilo.Bound, TestContext.Current.CancellationToken))
            {
                seen.Add(_stream.Current.Status);
            }
        }
        catch (RpcException)
        {
            // The server closing the call under a watch is the end of the stream, not a failure.
        }

        return seen;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
