using AviOrleans.Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = AviOrleans.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Grpc.Tests;

/// <summary>grpc.health.v1.Health over the status the host sets.</summary>
public sealed class GrpcHealthTests : IAsyncLifetime
{
    private const string Echo = "aviorleans.test.echo.Echo";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private EchoServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EchoServer Server => _server!;

    private GrpcHealthStatusProvider Health => Server.Services.GetRequiredService<GrpcHealthStatusProvider>();

    public async ValueTask InitializeAsync() => _server = await EchoServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(Echo)]
    [InlineData("grpc.health.v1.Health")]
    public async Task Check_MappedServiceOrServer_Serving(string service)
    {
        using var channel = Server.CreateChannel();

        Assert.Equal(ServingStatus.Serving, await CheckAsync(channel, service));
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        using var channel = Server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => CheckAsync(channel, "no.such.Service"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Check_ServerNotServing_EveryServiceNotServing()
    {
        using var channel = Server.CreateChannel();
        Health.SetServiceStatus(Echo, HealthServingStatus.Serving);

        Health.SetOverallStatus(HealthServingStatus.NotServing);

        Assert.Equal(ServingStatus.NotServing, await CheckAsync(channel, string.Empty));
        Assert.Equal(ServingStatus.NotServing, await CheckAsync(channel, Echo));
    }

    [Fact]
    public async Task Check_ServiceOverride_ReportedWhileServerServes()
    {
        using var channel = Server.CreateChannel();

        Health.SetServiceStatus(Echo, HealthServingStatus.NotServing);

        Assert.Equal(ServingStatus.NotServing, await CheckAsync(channel, Echo));
        Assert.Equal(ServingStatus.Serving, await CheckAsync(channel, string.Empty));
    }

    [Fact]
    public async Task Watch_StatusChanges_StreamedAsTheyHappen()
    {
        using var channel = Server.CreateChannel();
        var seen = new List<ServingStatus>();

        await using var stream = channel.ServerStreamingAsync<HealthCheckRequest, HealthCheckResponse>("grpc.health.v1.Health/Watch", new HealthCheckRequest { Service = Echo }, cancellationToken: Ct)
            .GetAsyncEnumerator(Ct);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));
        seen.Add(stream.Current.Status);
        Health.SetOverallStatus(HealthServingStatus.NotServing);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));
        seen.Add(stream.Current.Status);
        Health.SetOverallStatus(HealthServingStatus.Serving);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));
        seen.Add(stream.Current.Status);

        Assert.Equal([ServingStatus.Serving, ServingStatus.NotServing, ServingStatus.Serving], seen);
    }

    [Fact]
    public async Task Watch_UnknownService_ServiceUnknownAndStaysOpen()
    {
        using var channel = Server.CreateChannel();

        await using var stream = channel.ServerStreamingAsync<HealthCheckRequest, HealthCheckResponse>("grpc.health.v1.Health/Watch", new HealthCheckRequest { Service = "later.Service" }, cancellationToken: Ct)
            .GetAsyncEnumerator(Ct);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));
        var first = stream.Current.Status;
        Health.SetServiceStatus("later.Service", HealthServingStatus.Serving);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));

        Assert.Equal(ServingStatus.ServiceUnknown, first);
        Assert.Equal(ServingStatus.Serving, stream.Current.Status);
    }

    [Fact]
    public async Task Watch_ServerStops_StreamEndsUnavailableAndStopIsPrompt()
    {
        using var channel = Server.CreateChannel();
        await using var stream = channel.ServerStreamingAsync<HealthCheckRequest, HealthCheckResponse>("grpc.health.v1.Health/Watch", new HealthCheckRequest(), cancellationToken: Ct)
            .GetAsyncEnumerator(Ct);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));

        // Without ending open streams, a graceful stop would wait its whole 30 s timeout.
        var stop = Server.StopAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct));
        await stop.WaitAsync(Bound, Ct);

        Assert.Equal(new Status(StatusCode.Unavailable, "The server is shutting down."), ex.Status);
    }

    private static async Task<ServingStatus> CheckAsync(GrpcChannel channel, string service) =>
        (await channel.UnaryAsync<HealthCheckRequest, HealthCheckResponse>("grpc.health.v1.Health/Check", new HealthCheckRequest { Service = service }).WaitAsync(Bound, Ct)).Status;
}
