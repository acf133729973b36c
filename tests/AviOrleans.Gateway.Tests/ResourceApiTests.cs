using AviOrleans.Api.V1;
using Google.Protobuf.WellKnownTypes;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

public sealed class ResourceApiTests
{
    [Fact]
    public async Task ServiceEngine_Crud_WithOutputOnlyRuntime()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        var created = await CreateEngineAsync(server, "se-1", "g1", "host-1");
        var updated = await server.AdminAsync<UpdateServiceEngineRequest, ServiceEngine>("ServiceEngineService/UpdateServiceEngine", new()
        {
            ServiceEngine = new ServiceEngine { Name = "se-1", EnableState = SeState.DisabledForPlacement },
            UpdateMask = new FieldMask { Paths = { "enable_state" } },
        });
        var listed = await server.ReaderAsync<ListServiceEnginesRequest, ListServiceEnginesResponse>("ServiceEngineService/ListServiceEngines", new() { SeGroupRef = "g1" });
        await server.AdminAsync<DeleteServiceEngineRequest, Empty>("ServiceEngineService/DeleteServiceEngine", new() { Name = "se-1" });

        Assert.Equal(SeState.Enabled, created.EnableState);
        Assert.Equal(OperState.OperUp, created.OperStatus.State);
        Assert.Equal("host-1", created.HostRef);
        Assert.Equal(SeState.DisabledForPlacement, updated.EnableState);
        Assert.Equal("host-1", updated.HostRef);
        Assert.Equal("se-1", Assert.Single(listed.ServiceEngines).Name);
        await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetServiceEngineRequest, ServiceEngine>("ServiceEngineService/GetServiceEngine", new() { Name = "se-1" }));
    }

    [Fact]
    public async Task ServiceEngine_OutputOnlyInMask_InvalidArgument()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateEngineAsync(server, "se-1", "g1");

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateServiceEngineRequest, ServiceEngine>("ServiceEngineService/UpdateServiceEngine", new()
        {
            ServiceEngine = new ServiceEngine { Name = "se-1", Version = "9" },
            UpdateMask = new FieldMask { Paths = { "version" } },
        }));

        Assert.Equal(["update_mask.paths[0]"], Fields(ex));
    }

    [Fact]
    public async Task ServiceEngine_ThirdInLegacyPair_InvalidArgument()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateEngineAsync(server, "se-c", "pair"));

        Assert.NotEmpty(Fields(ex));
        var list = await server.ReaderAsync<ListServiceEnginesRequest, ListServiceEnginesResponse>("ServiceEngineService/ListServiceEngines", new() { SeGroupRef = "pair" });
        Assert.Equal(2, list.TotalSize);
    }

    [Fact]
    public async Task VirtualService_Crud_ReportsOperStatusFromPlacement()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);

        var created = await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        var disabled = await server.AdminAsync<UpdateVirtualServiceRequest, VirtualService>("VirtualServiceService/UpdateVirtualService", new()
        {
            VirtualService = new VirtualService { Name = "web", Enabled = false },
            UpdateMask = new FieldMask { Paths = { "enabled" } },
        });
        var listed = await server.ReaderAsync<ListVirtualServicesRequest, ListVirtualServicesResponse>("VirtualServiceService/ListVirtualServices", new());
        await server.AdminAsync<DeleteVirtualServiceRequest, Empty>("VirtualServiceService/DeleteVirtualService", new() { Name = "web" });

        Assert.Equal(OperState.OperUp, created.OperStatus.State);
        Assert.True(created.Enabled);
        Assert.Equal(ActiveStandbySeTag.ActiveStandbySe1, created.ActiveStandbySeTag);
        Assert.Equal(OperState.OperDisabled, disabled.OperStatus.State);
        Assert.Equal("192.0.2.10", Assert.Single(Assert.Single(listed.VirtualServices).Vip).IpAddress);
        await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetVirtualServiceRequest, VirtualService>("VirtualServiceService/GetVirtualService", new() { Name = "web" }));
    }

    [Fact]
    public async Task VirtualService_BadAddressAndUnknownGroup_InvalidArgumentByField()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateVsAsync(server, "web", "nope", "300.1.2.3"));

        Assert.Contains("virtual_service.vip[0].ip_address", Fields(ex));
        Assert.Contains("virtual_service.se_group_ref", Fields(ex));
    }

    [Fact]
    public async Task VirtualService_VipOfAnother_AlreadyExistsOnTheVip()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var ex = await FailsWithAsync(GrpcCode.AlreadyExists, () => CreateVsAsync(server, "api", "pair", "192.0.2.10"));

        Assert.Equal(["virtual_service.vip[0].ip_address"], Fields(ex));
    }

    [Fact]
    public async Task VirtualService_MoveWhileEnabled_FailedPrecondition()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "other" });
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<UpdateVirtualServiceRequest, VirtualService>("VirtualServiceService/UpdateVirtualService", new()
        {
            VirtualService = new VirtualService { Name = "web", SeGroupRef = "other" },
            UpdateMask = new FieldMask { Paths = { "se_group_ref" } },
        }));
    }

    [Fact]
    public async Task VsVip_SharedByTwoVirtualServices_BothOnTheSameSes()
    {
        await using var server = await GatewayServer.StartAsync();

        // Distributed placement would spread two independent virtual services over both SEs.
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", Algo = PlacementAlgo.Distributed, BufferSe = 0 });
        await CreateEngineAsync(server, "se-1", "g1");
        await CreateEngineAsync(server, "se-2", "g1");
        await server.AdminAsync<CreateVsVipRequest, VsVip>("VsVipService/CreateVsVip", new() { VsVip = new VsVip { Name = "shared", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.20" } } } });

        foreach (var name in new[] { "http", "https" })
        {
            await server.AdminAsync<CreateVirtualServiceRequest, VirtualService>("VirtualServiceService/CreateVirtualService",
                new() { VirtualService = new VirtualService { Name = name, SeGroupRef = "g1", VsvipRef = "shared" } });
        }

        var http = await PlacementAsync(server, "http");
        var https = await PlacementAsync(server, "https");
        Assert.Equal(http.Vip[0].ActiveSeRef, https.Vip[0].ActiveSeRef);
        Assert.NotEmpty(http.Vip[0].ActiveSeRef);
        Assert.Equal("192.0.2.20", http.Vip[0].IpAddress);
        await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<DeleteVsVipRequest, Empty>("VsVipService/DeleteVsVip", new() { Name = "shared" }));
        var vips = await server.ReaderAsync<ListVsVipsRequest, ListVsVipsResponse>("VsVipService/ListVsVips", new());
        Assert.Equal("shared", Assert.Single(vips.VsVips).Name);
    }

    [Fact]
    public async Task VsVip_UpdateAddress_MovesWithItsVirtualServices()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await server.AdminAsync<CreateVsVipRequest, VsVip>("VsVipService/CreateVsVip", new() { VsVip = new VsVip { Name = "shared", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.20" } } } });
        await server.AdminAsync<CreateVirtualServiceRequest, VirtualService>("VirtualServiceService/CreateVirtualService",
            new() { VirtualService = new VirtualService { Name = "http", SeGroupRef = "pair", VsvipRef = "shared" } });

        var updated = await server.AdminAsync<UpdateVsVipRequest, VsVip>("VsVipService/UpdateVsVip", new()
        {
            VsVip = new VsVip { Name = "shared", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.21" } } },
            UpdateMask = new FieldMask { Paths = { "vip" } },
        });

        Assert.Equal("192.0.2.21", updated.Vip[0].IpAddress);
        Assert.Equal("192.0.2.21", (await PlacementAsync(server, "http")).Vip[0].IpAddress);
    }
}
