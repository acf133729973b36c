using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Grains;
using AviOrleans.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task NoToken_Read_Unauthenticated()
    {
        await using var server = await GatewayServer.StartAsync();

        await FailsWithAsync(GrpcCode.Unauthenticated, () => server.AnonymousAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new()));
    }

    [Fact]
    public async Task ReaderToken_Mutation_PermissionDeniedAndNothingChanged()
    {
        await using var server = await GatewayServer.StartAsync();

        await FailsWithAsync(GrpcCode.PermissionDenied, () => server.ReaderAsync<CreateServiceEngineGroupRequest, ServiceEngineGroup>(
            "ServiceEngineGroupService/CreateServiceEngineGroup", new() { ServiceEngineGroup = new() { Name = "g1" } }));

        var list = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new());
        Assert.Equal(0, list.TotalSize);
    }

    [Fact]
    public async Task ReaderToken_Operation_PermissionDenied()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        await FailsWithAsync(GrpcCode.PermissionDenied, () => server.ReaderAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>("HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "web" }));
        await FailsWithAsync(GrpcCode.PermissionDenied, () => server.ReaderAsync<DeleteVirtualServiceRequest, Empty>("VirtualServiceService/DeleteVirtualService", new() { Name = "web" }));
    }

    [Fact]
    public async Task ReaderToken_Reads_Allowed()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var placement = await PlacementAsync(server, "web");
        var status = await server.ReaderAsync<GetServiceEngineGroupStatusRequest, ServiceEngineGroupStatus>("HaService/GetServiceEngineGroupStatus", new() { SeGroupRef = "pair" });

        Assert.Equal(PlacementState.Placed, placement.State);
        Assert.Equal("pair", status.SeGroupRef);
    }

    [Theory]
    [InlineData("Basic b3BzOnNlY3JldA==", "The authorization header must be 'Bearer <token>'.")]
    [InlineData("Bearer wrong-token", "The bearer token is not valid.")]
    [InlineData("Bearer ", "The bearer token is not valid.")]
    public async Task BadAuthorization_Read_UnauthenticatedSayingWhy(string header, string detail)
    {
        await using var server = await GatewayServer.StartAsync();
        using var channel = GatewayServer.CreateChannel(server.Address);
        var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);

        var ex = await FailsWithAsync(GrpcCode.Unauthenticated, () => groups.ListServiceEngineGroupsAsync(new(), new Metadata { { "authorization", header } }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(detail, ex.Status.Detail);
    }

    [Fact]
    public async Task ReaderToken_Mutation_DetailNamesTheRoleNeeded()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.PermissionDenied, () => server.ReaderAsync<DeleteServiceEngineGroupRequest, Empty>(
            "ServiceEngineGroupService/DeleteServiceEngineGroup", new() { Name = "g1" }));

        Assert.Equal("/avi.v1.ServiceEngineGroupService/DeleteServiceEngineGroup needs the admin role; token 'grafana' grants reader.", ex.Status.Detail);
    }

    [Fact]
    public async Task NoTokensConfigured_Loopback_EveryCallerIsAdmin()
    {
        await using var cluster = await HaTestCluster.StartAsync();
        await using var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0 }, cluster.ControlPlane, cancellationToken: TestContext.Current.CancellationToken);
        using var channel = GatewayServer.CreateChannel(host.Address);

        var created = await new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel).CreateServiceEngineGroupAsync(
            new() { ServiceEngineGroup = new() { Name = "g1" } }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("g1", created.Name);
    }

    [Fact]
    public void Options_NoTokensBeyondLoopback_Refused()
    {
        var options = new GatewayOptions { Address = IPAddress.Any, Port = 0 };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("without bearer tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenFile_RewrittenBadly_OldTokensStayInForce()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(file, ["admin ops first-token"], TestContext.Current.CancellationToken);
            await using var cluster = await HaTestCluster.StartAsync();
            await using var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0, TokenFile = file }, cluster.ControlPlane, cancellationToken: TestContext.Current.CancellationToken);
            using var channel = GatewayServer.CreateChannel(host.Address);
            var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);
            var first = new Metadata { { "authorization", "Bearer first-token" } };

            await File.WriteAllLinesAsync(file, ["superuser ops second-token"], TestContext.Current.CancellationToken);
            await File.WriteAllLinesAsync(file, ["admin ops third-token"], TestContext.Current.CancellationToken);
            await UntilAcceptedAsync(() => groups.ListServiceEngineGroupsAsync(new(), new Metadata { { "authorization", "Bearer third-token" } }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
            await File.WriteAllLinesAsync(file, ["not a token line at all"], TestContext.Current.CancellationToken);

            // Nothing to wait for when a file is refused: give the 2 s poll two chances to (wrongly) apply it.
            await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            var stillThird = await groups.ListServiceEngineGroupsAsync(new(), new Metadata { { "authorization", "Bearer third-token" } }, cancellationToken: TestContext.Current.CancellationToken);
            var firstRefused = await FailsWithAsync(GrpcCode.Unauthenticated, () => groups.ListServiceEngineGroupsAsync(new(), first, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

            Assert.Equal(0, stillThird.TotalSize);
            Assert.Equal("The bearer token is not valid.", firstRefused.Status.Detail);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TokenFile_KubernetesSecretSymlinkSwap_NewTokensApplied()
    {
        // A mounted Secret: tokens -> ..data/tokens, ..data -> a dated folder; an update writes a new folder and
        // renames a new ..data symlink over the old one.
        var root = Directory.CreateTempSubdirectory("aviorleans-secret-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "v1"));
            Directory.CreateDirectory(Path.Combine(root, "v2"));
            await File.WriteAllLinesAsync(Path.Combine(root, "v1", "tokens"), ["admin ops old-token"], TestContext.Current.CancellationToken);
            await File.WriteAllLinesAsync(Path.Combine(root, "v2", "tokens"), ["admin ops new-token"], TestContext.Current.CancellationToken);
            File.CreateSymbolicLink(Path.Combine(root, "..data"), "v1");
            File.CreateSymbolicLink(Path.Combine(root, "tokens"), Path.Combine("..data", "tokens"));
            await using var cluster = await HaTestCluster.StartAsync();
            await using var host = await GatewayHost.StartAsync(new GatewayOptions { Address = IPAddress.Loopback, Port = 0, TokenFile = Path.Combine(root, "tokens") }, cluster.ControlPlane, cancellationToken: TestContext.Current.CancellationToken);
            using var channel = GatewayServer.CreateChannel(host.Address);
            var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);
            Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };
            await groups.ListServiceEngineGroupsAsync(new(), Bearer("old-token"), cancellationToken: TestContext.Current.CancellationToken);

            File.CreateSymbolicLink(Path.Combine(root, "..data_tmp"), "v2");
            // rename(2) of a symlink over a symlink, as the kubelet does (File.Move refuses a link to a folder).
            using (var mv = System.Diagnostics.Process.Start("mv", ["-T", Path.Combine(root, "..data_tmp"), Path.Combine(root, "..data")]))
            {
                await mv.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, mv.ExitCode);
            }

            await UntilAcceptedAsync(() => groups.ListServiceEngineGroupsAsync(new(), Bearer("new-token"), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
            var old = await FailsWithAsync(GrpcCode.Unauthenticated, () => groups.ListServiceEngineGroupsAsync(new(), Bearer("old-token"), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

            Assert.Equal("The bearer token is not valid.", old.Status.Detail);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // The gateway polls the token file: retry, bounded, until the change has been applied.
    private static async Task UntilAcceptedAsync(Func<Task> call)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unauthenticated)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
    }
}
