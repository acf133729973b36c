using AviOrleans.Api.V1;
using Google.Protobuf.WellKnownTypes;
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
}
