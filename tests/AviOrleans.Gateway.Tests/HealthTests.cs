using System.Net;
using AviOrleans.Api;
using AviOrleans.Grains;
using AviOrleans.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Gateway.Tests;

/// <summary>grpc.health.v1 as the gateway serves it (Grpc.HealthCheck), driven through <see cref="GatewayHealth"/>.</summary>
public sealed class HealthTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_ServerAndEveryAviService_ServingWithoutToken()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        var health = new Health.HealthClient(channel);

        var overall = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);

        Assert.Equal(ServingStatus.Serving, overall.Status);
        foreach (var service in AviApi.ServiceNames)
        {
            Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: Ct)).Status);
        }
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Check_GatewayNotServing_EveryServiceNotServingEvenWithItsOwnStatus()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        var health = new Health.HealthClient(channel);
        server.Host.Health.SetServiceStatus("avi.v1.HaService", ServingStatus.Serving);

        server.Host.Health.SetOverallStatus(ServingStatus.NotServing);

        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        foreach (var service in AviApi.ServiceNames)
        {
            Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: Ct)).Status);
        }
    }

    [Fact]
    public async Task Check_ServiceOwnStatus_ReportedWhileGatewayServes()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        var health = new Health.HealthClient(channel);

        server.Host.Health.SetServiceStatus("avi.v1.HaService", ServingStatus.NotServing);
        var own = await health.CheckAsync(new HealthCheckRequest { Service = "avi.v1.HaService" }, cancellationToken: Ct);
        var other = await health.CheckAsync(new HealthCheckRequest { Service = "avi.v1.VsVipService" }, cancellationToken: Ct);
        server.Host.Health.ClearServiceStatus("avi.v1.HaService");
        var cleared = await health.CheckAsync(new HealthCheckRequest { Service = "avi.v1.HaService" }, cancellationToken: Ct);

        Assert.Equal(ServingStatus.NotServing, own.Status);
        Assert.Equal(ServingStatus.Serving, other.Status);
        Assert.Equal(ServingStatus.Serving, cleared.Status);
    }

    [Fact]
    public async Task Watch_StatusChanges_StreamedAsTheyHappen()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = "avi.v1.HaService" }, cancellationToken: Ct);

        var first = await NextAsync(watch);
        server.Host.Health.SetOverallStatus(ServingStatus.NotServing);
        var second = await NextAsync(watch);
        server.Host.Health.SetOverallStatus(ServingStatus.Serving);
        var third = await NextAsync(watch);

        Assert.Equal([ServingStatus.Serving, ServingStatus.NotServing, ServingStatus.Serving], [first, second, third]);
    }

    [Fact]
    public async Task Watch_UnknownService_ServiceUnknownAndStaysOpen()
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = "no.such.Service" }, cancellationToken: Ct);

        var first = await NextAsync(watch);
        server.Host.Health.SetServiceStatus("no.such.Service", ServingStatus.Serving);
        var second = await NextAsync(watch);

        Assert.Equal(ServingStatus.ServiceUnknown, first);
        Assert.Equal(ServingStatus.Serving, second);
    }

    [Fact]
    public async Task Watch_GatewayStops_StreamEndsUnavailableAndStopIsPrompt()
    {
        await using var cluster = await HaTestCluster.StartAsync();
        var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, cluster.ControlPlane, cancellationToken: Ct);
        using var channel = GatewayServer.CreateChannel(host.Address);
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest(), cancellationToken: Ct);
        Assert.Equal(ServingStatus.Serving, await NextAsync(watch));

        var stop = host.DisposeAsync().AsTask();
        var ex = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Ct).WaitAsync(Bound, Ct));
        await stop.WaitAsync(Bound, Ct);

        // Kestrel would otherwise wait out its shutdown timeout for a stream that never ends by itself.
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private static async Task<ServingStatus> NextAsync(AsyncServerStreamingCall<HealthCheckResponse> watch)
    {
        Assert.True(await watch.ResponseStream.MoveNext(Ct).WaitAsync(Bound, Ct), "the watch ended");
        return watch.ResponseStream.Current.Status;
    }
}
