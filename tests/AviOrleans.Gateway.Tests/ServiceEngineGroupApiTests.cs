using AviOrleans.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

public sealed class ServiceEngineGroupApiTests
{
    [Fact]
    public async Task Create_OnlyName_ReturnsAviDefaults()
    {
        await using var server = await GatewayServer.StartAsync();

        var g = await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        Assert.Equal(HaMode.Shared, g.HaMode);
        Assert.Equal(PlacementAlgo.Packed, g.Algo);
        Assert.Equal(10, g.MaxVsPerSe);
        Assert.Equal(1, g.MinScaleoutPerVs);
        Assert.Equal(4, g.MaxScaleoutPerVs);
        Assert.Equal(10, g.MaxSe);
        Assert.Equal(1, g.BufferSe);
        Assert.True(g.HmOnStandby);
        Assert.True(g.VsHostRedundancy);
        Assert.False(g.DistributeLoadActiveStandby);
        Assert.False(g.AutoRedistributeActiveStandbyLoad);
        Assert.Equal(100, g.DpHbFrequency);
        Assert.Equal(300, g.VsSwitchoverTimeout);
    }

    [Fact]
    public async Task Create_OutOfRange_InvalidArgumentWithEveryFieldAndNothingCreated()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", MaxVsPerSe = 0, MaxSe = 1001, MinScaleoutPerVs = 65 }));

        Assert.Contains("service_engine_group.max_vs_per_se", Fields(ex));
        Assert.Contains("service_engine_group.max_se", Fields(ex));
        Assert.Contains("service_engine_group.min_scaleout_per_vs", Fields(ex));
        Assert.Contains("max_vs_per_se", ex.Status.Detail, StringComparison.Ordinal);
        var list = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new());
        Assert.Equal(0, list.TotalSize);
    }

    [Fact]
    public async Task Create_UndefinedEnumNumber_InvalidArgumentOnHaMode()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", HaMode = (HaMode)42 }));

        Assert.Equal(["service_engine_group.ha_mode"], Fields(ex));
    }

    [Fact]
    public async Task Create_ValidateOnly_ReturnsGroupButStoresNothing()
    {
        await using var server = await GatewayServer.StartAsync();

        var g = await server.AdminAsync<CreateServiceEngineGroupRequest, ServiceEngineGroup>(
            "ServiceEngineGroupService/CreateServiceEngineGroup", new() { ServiceEngineGroup = new() { Name = "g1" }, ValidateOnly = true });

        Assert.Equal("g1", g.Name);
        await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new() { Name = "g1" }));
    }

    [Fact]
    public async Task Create_Twice_AlreadyExists()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        var ex = await FailsWithAsync(GrpcCode.AlreadyExists, () => CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" }));

        Assert.Equal(["service_engine_group.name"], Fields(ex));
    }

    [Fact]
    public async Task Get_Unknown_NotFoundWithResourceInfo()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new() { Name = "nope" }));

        var info = Detail<ResourceInfo>(ex);
        Assert.NotNull(info);
        Assert.Equal("serviceenginegroup", info.ResourceType);
        Assert.Equal("nope", info.ResourceName);
    }

    [Fact]
    public async Task Get_EmptyName_InvalidArgumentOnName()
    {
        await using var server = await GatewayServer.StartAsync();

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new()));

        Assert.Equal(["name"], Fields(ex));
    }

    [Fact]
    public async Task List_Pages_WalkEveryGroupOnceInNameOrder()
    {
        await using var server = await GatewayServer.StartAsync();
        foreach (var name in new[] { "g3", "g1", "g5", "g2", "g4" })
        {
            await CreateGroupAsync(server, new ServiceEngineGroup { Name = name });
        }

        var names = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>(
                "ServiceEngineGroupService/ListServiceEngineGroups", new() { PageSize = 2, PageToken = token });
            Assert.Equal(5, page.TotalSize);
            names.AddRange(page.ServiceEngineGroups.Select(g => g.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(["g1", "g2", "g3", "g4", "g5"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_TamperedToken_InvalidArgumentOnPageToken()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g2" });
        var first = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new() { PageSize = 1 });

        // Change one character in the middle: it carries six whole bits (the last one may not).
        var chars = first.NextPageToken.ToCharArray();
        var middle = chars.Length / 2;
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>(
            "ServiceEngineGroupService/ListServiceEngineGroups", new() { PageSize = 1, PageToken = new string(chars) }));

        Assert.Equal(["page_token"], Fields(ex));
    }

    [Fact]
    public async Task Update_WithMask_ChangesOnlyMaskedFields()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", BufferSe = 2 });

        var updated = await server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup { Name = "g1", MaxVsPerSe = 8, BufferSe = 0, Algo = PlacementAlgo.Distributed },
            UpdateMask = new FieldMask { Paths = { "max_vs_per_se", "algo" } },
        });

        Assert.Equal(8, updated.MaxVsPerSe);
        Assert.Equal(PlacementAlgo.Distributed, updated.Algo);
        Assert.Equal(2, updated.BufferSe);
    }

    [Fact]
    public async Task Update_MaskedOptionalLeftOut_ResetsToAviDefault()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1", MaxVsPerSe = 3 });

        var updated = await server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup { Name = "g1" },
            UpdateMask = new FieldMask { Paths = { "max_vs_per_se" } },
        });

        Assert.Equal(10, updated.MaxVsPerSe);
    }

    [Fact]
    public async Task Update_UnknownAndImmutablePaths_InvalidArgumentNamingEach()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup { Name = "g1" },
            UpdateMask = new FieldMask { Paths = { "max_vs_per_se", "ha_moed", "name" } },
        }));

        Assert.Equal(["update_mask.paths[1]", "update_mask.paths[2]"], Fields(ex));
    }

    [Fact]
    public async Task Update_InvalidValue_InvalidArgumentAndGroupUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup { Name = "g1", MaxScaleoutPerVs = 2, MinScaleoutPerVs = 3 },
            UpdateMask = new FieldMask { Paths = { "max_scaleout_per_vs", "min_scaleout_per_vs" } },
        }));

        Assert.NotEmpty(Fields(ex));
        Assert.All(Fields(ex), f => Assert.StartsWith("service_engine_group.", f, StringComparison.Ordinal));
        var g = await server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new() { Name = "g1" });
        Assert.Equal(4, g.MaxScaleoutPerVs);
    }

    [Fact]
    public async Task Update_Unknown_NotFound()
    {
        await using var server = await GatewayServer.StartAsync();

        await FailsWithAsync(GrpcCode.NotFound, () => server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup { Name = "nope", MaxSe = 3 },
            UpdateMask = new FieldMask { Paths = { "max_se" } },
        }));
    }

    [Fact]
    public async Task Delete_GroupWithEngines_FailedPreconditionThenOkOnceEmpty()
    {
        await using var server = await GatewayServer.StartAsync();
        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "g1" });
        await CreateEngineAsync(server, "se-1", "g1");

        var ex = await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<DeleteServiceEngineGroupRequest, Empty>("ServiceEngineGroupService/DeleteServiceEngineGroup", new() { Name = "g1" }));
        Assert.NotNull(Detail<PreconditionFailure>(ex));
        await server.AdminAsync<DeleteServiceEngineRequest, Empty>("ServiceEngineService/DeleteServiceEngine", new() { Name = "se-1" });
        await server.AdminAsync<DeleteServiceEngineGroupRequest, Empty>("ServiceEngineGroupService/DeleteServiceEngineGroup", new() { Name = "g1" });

        await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new() { Name = "g1" }));
    }

    [Fact]
    public async Task Update_HaModeWhilePlaced_FailedPrecondition()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        await CreateVsAsync(server, "web", "pair", "192.0.2.10");

        var ex = await FailsWithAsync(GrpcCode.FailedPrecondition, () => server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("ServiceEngineGroupService/UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup { Name = "pair", HaMode = HaMode.Shared },
            UpdateMask = new FieldMask { Paths = { "ha_mode" } },
        }));

        Assert.Contains(Detail<PreconditionFailure>(ex)!.Violations, v => v.Subject == "service_engine_group.ha_mode");
    }
}
