using System.Diagnostics;
using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing;
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
        await using var cluster = await HaTestCluster.StartAsync();
        var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, cluster.ControlPlane, cancellationToken: Ct);
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
        await using var cluster = await HaTestCluster.StartWithFailingStorageAsync();
        await using var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, cluster.ControlPlane, cancellationToken: Ct);
        using var channel = GatewayServer.CreateChannel(host.Address);
        var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);
        var engines = new ServiceEngineService.ServiceEngineServiceClient(channel);
        await groups.CreateServiceEngineGroupAsync(new() { ServiceEngineGroup = new() { Name = "g1" } }, cancellationToken: Ct);
        cluster.FailWrites = true;

        var ex = await Assert.ThrowsAsync<RpcException>(() => engines.CreateServiceEngineAsync(
            new() { ServiceEngine = new() { Name = "se-1", SeGroupRef = "g1" } }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(GrpcCode.Unavailable, ex.StatusCode);
        Assert.Contains("could not be saved", ex.Status.Detail, StringComparison.Ordinal);
        cluster.FailWrites = false;
        var list = await engines.ListServiceEnginesAsync(new(), cancellationToken: Ct);
        Assert.Empty(list.ServiceEngines);
    }
}
