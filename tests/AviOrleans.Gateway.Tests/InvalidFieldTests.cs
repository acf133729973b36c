using AviOrleans.Api.V1;
using Google.Protobuf.WellKnownTypes;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// Invalid field values on the Create and Update of every avi.v1 resource other than the SE group (covered in
/// ServiceEngineGroupApiTests), and HA operations without their target: INVALID_ARGUMENT naming the field, and
/// the stored state read back unchanged.
/// </summary>
public sealed class InvalidFieldTests
{
    [Fact]
    public async Task HaOperations_NoTarget_InvalidArgumentOnTheRefAndPlacementUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");
        var before = await PlacementAsync(server, "web");
        Assert.Equal(PlacementState.Placed, before.State);
        const string Ha = "HaService/";

        var failures = new (string Field, Func<Task> Call)[]
        {
            ("virtual_service_ref", () => server.AdminAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>(Ha + "SwitchoverVirtualService", new())),
            ("se_ref", () => server.AdminAsync<SwitchoverServiceEngineRequest, HaOperationResponse>(Ha + "SwitchoverServiceEngine", new())),
            ("se_group_ref", () => server.AdminAsync<RedistributeServiceEngineGroupRequest, HaOperationResponse>(Ha + "RedistributeServiceEngineGroup", new())),
            ("virtual_service_ref", () => server.AdminAsync<MigrateVirtualServiceRequest, HaOperationResponse>(Ha + "MigrateVirtualService", new() { ToSeRef = "se-b" })),
            ("virtual_service_ref", () => server.AdminAsync<ScaleOutVirtualServiceRequest, HaOperationResponse>(Ha + "ScaleOutVirtualService", new() { ToSeRef = "se-b" })),
            ("virtual_service_ref", () => server.AdminAsync<ScaleInVirtualServiceRequest, HaOperationResponse>(Ha + "ScaleInVirtualService", new() { FromSeRef = "se-a" })),
        };
        foreach (var (field, call) in failures)
        {
            var ex = await FailsWithAsync(GrpcCode.InvalidArgument, call);
            Assert.Equal([field], Fields(ex));
        }

        var after = await PlacementAsync(server, "web");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task CreateServiceEngine_UndefinedEnableState_InvalidArgumentAndNothingCreated()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<CreateServiceEngineRequest, ServiceEngine>(
            "ServiceEngineService/CreateServiceEngine", new() { ServiceEngine = new ServiceEngine { Name = "se-1", SeGroupRef = "g1", EnableState = (SeState)42 } }));

        Assert.Contains("service_engine.enable_state", Fields(ex));
        var list = await server.ReaderAsync<ListServiceEnginesRequest, ListServiceEnginesResponse>("ServiceEngineService/ListServiceEngines", new());
        Assert.Empty(list.ServiceEngines);
    }

    [Fact]
    public async Task UpdateServiceEngine_UndefinedEnableState_InvalidArgumentAndEngineUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateEngineAsync(server, "se-1", "g1", "host-1");

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateServiceEngineRequest, ServiceEngine>("ServiceEngineService/UpdateServiceEngine", new()
        {
            ServiceEngine = new ServiceEngine { Name = "se-1", EnableState = (SeState)42, HostRef = "host-2" },
            UpdateMask = new FieldMask { Paths = { "enable_state", "host_ref" } },
        }));

        Assert.Contains("service_engine.enable_state", Fields(ex));
        var se = await server.ReaderAsync<GetServiceEngineRequest, ServiceEngine>("ServiceEngineService/GetServiceEngine", new() { Name = "se-1" });
        Assert.Equal(SeState.Enabled, se.EnableState);
        Assert.Equal("host-1", se.HostRef);
    }

    [Fact]
    public async Task CreateVirtualService_BadAddress_InvalidArgumentAndNothingCreated()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateVsAsync(server, "web", "g1", "300.1.2.3"));

        Assert.Equal(["virtual_service.vip[0].ip_address"], Fields(ex));
        var list = await server.ReaderAsync<ListVirtualServicesRequest, ListVirtualServicesResponse>("VirtualServiceService/ListVirtualServices", new());
        Assert.Empty(list.VirtualServices);
    }

    [Fact]
    public async Task UpdateVirtualService_BadAddressAndTag_InvalidArgumentNamingEachAndVsUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateVsAsync(server, "web", "g1", "192.0.2.10");

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateVirtualServiceRequest, VirtualService>("VirtualServiceService/UpdateVirtualService", new()
        {
            VirtualService = new VirtualService { Name = "web", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.300" } }, ActiveStandbySeTag = (ActiveStandbySeTag)42 },
            UpdateMask = new FieldMask { Paths = { "vip", "active_standby_se_tag" } },
        }));

        Assert.Contains("virtual_service.active_standby_se_tag", Fields(ex));
        var vs = await server.ReaderAsync<GetVirtualServiceRequest, VirtualService>("VirtualServiceService/GetVirtualService", new() { Name = "web" });
        Assert.Equal("192.0.2.10", Assert.Single(vs.Vip).IpAddress);
        Assert.Equal(ActiveStandbySeTag.ActiveStandbySe1, vs.ActiveStandbySeTag);
    }

    [Fact]
    public async Task UpdateVirtualService_BadAddress_InvalidArgumentOnTheVipAndVsUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateVsAsync(server, "web", "g1", "192.0.2.10");

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateVirtualServiceRequest, VirtualService>("VirtualServiceService/UpdateVirtualService", new()
        {
            VirtualService = new VirtualService { Name = "web", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.300" } } },
            UpdateMask = new FieldMask { Paths = { "vip" } },
        }));

        Assert.Equal(["virtual_service.vip[0].ip_address"], Fields(ex));
        var vs = await server.ReaderAsync<GetVirtualServiceRequest, VirtualService>("VirtualServiceService/GetVirtualService", new() { Name = "web" });
        Assert.Equal("192.0.2.10", Assert.Single(vs.Vip).IpAddress);
    }

    [Fact]
    public async Task CreateVsVip_BadAddress_InvalidArgumentAndNothingCreated()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<CreateVsVipRequest, VsVip>(
            "VsVipService/CreateVsVip", new() { VsVip = new VsVip { Name = "vip-1", Vip = { new Vip { VipId = "0", IpAddress = "not-an-address" } } } }));

        Assert.Equal(["vs_vip.vip[0].ip_address"], Fields(ex));
        var list = await server.ReaderAsync<ListVsVipsRequest, ListVsVipsResponse>("VsVipService/ListVsVips", new());
        Assert.Empty(list.VsVips);
    }

    [Fact]
    public async Task UpdateVsVip_BadAddress_InvalidArgumentAndVsVipUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await server.AdminAsync<CreateVsVipRequest, VsVip>(
            "VsVipService/CreateVsVip", new() { VsVip = new VsVip { Name = "vip-1", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.20" } } } });

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateVsVipRequest, VsVip>("VsVipService/UpdateVsVip", new()
        {
            VsVip = new VsVip { Name = "vip-1", Vip = { new Vip { VipId = "0", Ip6Address = "2001:db8::zz" } } },
            UpdateMask = new FieldMask { Paths = { "vip" } },
        }));

        Assert.Equal(["vs_vip.vip[0].ip6_address"], Fields(ex));
        var vip = await server.ReaderAsync<GetVsVipRequest, VsVip>("VsVipService/GetVsVip", new() { Name = "vip-1" });
        var only = Assert.Single(vip.Vip);
        Assert.Equal("192.0.2.20", only.IpAddress);
        Assert.Empty(only.Ip6Address);
    }
}
