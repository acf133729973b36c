using System.Diagnostics;
using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Grpc.Core;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

public sealed class ShutdownAndStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stop_WithAnOpenWatch_EndsItWithUnavailableAtOnce()
    {
        await using var controlPlane = new InMemoryHaControlPlane();
        var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, controlPlane, cancellationToken: Ct);
        using var channel = GatewayServer.CreateChannel(host.Address);
        using var watch = new HaService.HaServiceClient(channel).WatchPlacements(new(), cancellationToken: Ct);
        Assert.True(await watch.ResponseStream.MoveNext(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(ChangeType.Synced, watch.ResponseStream.Current.ChangeType);

        var stopping = Stopwatch.StartNew();
        var stop = host.DisposeAsync().AsTask();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await watch.ResponseStream.MoveNext(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct));
        await stop.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        // Kestrel would otherwise wait out its 30 s shutdown timeout for the endless stream.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stop took {stopping.Elapsed}");
        Assert.Equal(GrpcCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Change_StateCannotBeSaved_Unavailable()
    {
        var directory = Directory.CreateTempSubdirectory("aviorleans-gw-state-").FullName;
        try
        {
            var state = Path.Combine(directory, "state.json");
            await using var controlPlane = InMemoryHaControlPlane.Open(state);
            await using var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, controlPlane, cancellationToken: Ct);
            using var channel = GatewayServer.CreateChannel(host.Address);
            var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);
            Directory.CreateDirectory(state + ".tmp");

            var ex = await Assert.ThrowsAsync<RpcException>(() => groups.CreateServiceEngineGroupAsync(new() { ServiceEngineGroup = new() { Name = "g1" } }, cancellationToken: Ct).ResponseAsync);

            Assert.Equal(GrpcCode.Unavailable, ex.StatusCode);
            Assert.Contains("could not be saved", ex.Status.Detail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
