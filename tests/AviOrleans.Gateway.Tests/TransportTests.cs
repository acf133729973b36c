using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing;
using Grpc.Core;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

/// <summary>Deadlines, cancellation, concurrency and TLS of the gateway, from Grpc.Net.Client and raw HTTP/2.</summary>
public sealed class TransportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deadline_WatchAfterItsSnapshot_DeadlineExceeded()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        var options = GatewayServer.Admin(Ct).WithDeadline(DateTime.UtcNow.AddMilliseconds(500));
        using var watch = server.Ha.WatchPlacements(new WatchPlacementsRequest(), options);

        var seen = new List<ChangeType>();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(Ct).WaitAsync(Bound, Ct))
            {
                seen.Add(watch.ResponseStream.Current.ChangeType);
            }
        });

        Assert.Equal(GrpcCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal([ChangeType.Snapshot, ChangeType.Synced], seen);
    }

    [Theory]
    [InlineData("1n")]
    [InlineData("1u")]
    [InlineData("200n")]
    public async Task Deadline_ExpiredOnArrival_DeadlineExceededAndNothingCreated(string timeout)
    {
        await using var server = await GatewayServer.StartAsync();
        using var http = RawGrpc.CreateHttpClient();
        var body = RawGrpc.Frame(new CreateServiceEngineGroupRequest { ServiceEngineGroup = new() { Name = "late" } });

        // 1n: what a client sends for a deadline that has already passed; the others run out on the way.
        var result = await RawGrpc.SendAsync(http, server.Address, "/avi.v1.ServiceEngineGroupService/CreateServiceEngineGroup", body,
            headers: [("authorization", "Bearer " + GatewayServer.AdminToken), ("grpc-timeout", timeout)]).WaitAsync(Bound, Ct);
        var groups = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new());

        Assert.Equal(GrpcCode.DeadlineExceeded, result.Status);
        Assert.Empty(groups.ServiceEngineGroups);
    }

    [Fact]
    public async Task Cancel_ClientCancelsWatch_CancelledAndGatewayKeepsServing()
    {
        await using var server = await GatewayServer.StartAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var watch = server.Ha.WatchPlacements(new WatchPlacementsRequest(), GatewayServer.Admin(cancel.Token).WithDeadline(DateTime.MaxValue));
        Assert.True(await watch.ResponseStream.MoveNext(Ct).WaitAsync(Bound, Ct));

        await cancel.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Ct).WaitAsync(Bound, Ct));
        var created = await CreateGroupAsync(server, new ServiceEngineGroup { Name = "after-cancel" });

        Assert.Equal(GrpcCode.Cancelled, ex.StatusCode);
        Assert.Equal("after-cancel", created.Name);
    }

    [Fact]
    public async Task Concurrency_ManyParallelReadsOnOneChannel_AllAnswered()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var placements = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => PlacementAsync(server, "web"))).WaitAsync(Bound, Ct);

        Assert.All(placements, p => Assert.Equal(PlacementState.Placed, p.State));
    }

    [Fact]
    public async Task Tls_TrustedCertificate_UnaryAndStreamingWork()
    {
        using var tls = TlsFiles.Create();
        await using var server = await GatewayServer.StartAsync(tls);
        await LegacyPairAsync(server);

        using var watch = server.Ha.WatchPlacements(new WatchPlacementsRequest(), GatewayServer.Admin(Ct).WithDeadline(DateTime.MaxValue));
        Assert.True(await watch.ResponseStream.MoveNext(Ct).WaitAsync(Bound, Ct));

        Assert.Equal("https", server.Address.Scheme);
        Assert.Equal(ChangeType.Synced, watch.ResponseStream.Current.ChangeType);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_CallFailsWithoutReachingTheGateway()
    {
        using var tls = TlsFiles.Create();
        using var other = TlsFiles.Create();
        await using var server = await GatewayServer.StartAsync(tls);
        using var channel = GatewayServer.CreateChannel(server.Address, other.Certificate);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel)
            .CreateServiceEngineGroupAsync(new() { ServiceEngineGroup = new() { Name = "g1" } }, GatewayServer.Admin(Ct)).ResponseAsync);
        var groups = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new());

        Assert.Contains("SSL", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(groups.ServiceEngineGroups);
    }

    [Fact]
    public async Task Tls_Http11Request_RefusedAndGatewayKeepsServing()
    {
        using var tls = TlsFiles.Create();
        await using var server = await GatewayServer.StartAsync(tls);
        using var http = RawGrpc.CreateHttpClient(tls.Certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/avi.v1.ServiceEngineGroupService/ListServiceEngineGroups"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(RawGrpc.Frame(new ListServiceEngineGroupsRequest())),
        };

        // HTTP/2 only: an HTTP/1.1-only client cannot agree on a protocol with the gateway.
        await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(request, Ct).WaitAsync(Bound, Ct));
        var groups = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new());

        Assert.Empty(groups.ServiceEngineGroups);
    }
}
