using AviOrleans.Api.V1;
using Google.Protobuf.WellKnownTypes;
using static AviOrleans.Gateway.Tests.Setup;
using GrpcCode = Grpc.Core.StatusCode;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// Gateway monitors on a group and health monitors on a virtual service's pool through avi.v1: Avi's defaults on
/// read, INVALID_ARGUMENT naming each bad field with nothing changed, and GetPoolStatus.
/// </summary>
public sealed class MonitorApiTests
{
    private const string Groups = "ServiceEngineGroupService/";
    private const string Services = "VirtualServiceService/";

    [Fact]
    public async Task CreateGroup_GatewayMonOnlyAddresses_ReadBackWithAviDefaults()
    {
        await using var server = await GatewayServer.StartAsync();

        await CreateGroupAsync(server, new ServiceEngineGroup { Name = "pair", HaMode = HaMode.LegacyActiveStandby, MaxSe = 2, GatewayMon = { new GatewayMonitor { GatewayIp = "192.0.2.1" }, new GatewayMonitor { GatewayIp = "2001:db8::1", GatewayMonitorInterval = 250 } } });
        var group = await server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>(Groups + "GetServiceEngineGroup", new() { Name = "pair" });

        Assert.Equal(
            [("192.0.2.1", 1000, 10, 15), ("2001:db8::1", 250, 10, 15)],
            group.GatewayMon.Select(m => (m.GatewayIp, m.GatewayMonitorInterval, m.GatewayMonitorFailThreshold, m.GatewayMonitorSuccessThreshold)));
    }

    [Fact]
    public async Task CreateGroup_GatewayMonOutsideLegacyHa_FailedPreconditionAndNothingCreated()
    {
        await using var server = await GatewayServer.StartAsync();

        // Not allowed in this HA mode: the API's FAILED_PRECONDITION, as for floating_intf_ip.
        var ex = await FailsWithAsync(GrpcCode.FailedPrecondition, () => CreateGroupAsync(server, new ServiceEngineGroup { Name = "nm", GatewayMon = { new GatewayMonitor { GatewayIp = "192.0.2.1" } } }));

        Assert.Contains("gateway_mon applies only to HA_MODE_LEGACY_ACTIVE_STANDBY groups", ex.Status.Detail, StringComparison.Ordinal);
        var list = await server.ReaderAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>(Groups + "ListServiceEngineGroups", new());
        Assert.Empty(list.ServiceEngineGroups);
    }

    [Fact]
    public async Task UpdateGroup_BadGatewayMon_InvalidArgumentPerFieldAndGroupUnchanged()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);

        var ex = await FailsWithAsync(GrpcCode.InvalidArgument, () => server.AdminAsync<UpdateServiceEngineGroupRequest, ServiceEngineGroup>(Groups + "UpdateServiceEngineGroup", new()
        {
            ServiceEngineGroup = new ServiceEngineGroup
            {
                Name = "pair",
                GatewayMon =
                {
                    new GatewayMonitor { GatewayIp = "gateway", GatewayMonitorInterval = 50 },
                    new GatewayMonitor { GatewayIp = "192.0.2.1", GatewayMonitorFailThreshold = 2 },
                },
            },
            UpdateMask = new FieldMask { Paths = { "gateway_mon" } },
        }));

        Assert.Equal(
            ["service_engine_group.gateway_mon[0].gateway_ip", "service_engine_group.gateway_mon[0].gateway_monitor_interval", "service_engine_group.gateway_mon[1].gateway_monitor_fail_threshold"],
            Fields(ex).Order(StringComparer.Ordinal));
        var group = await server.ReaderAsync<GetServiceEngineGroupRequest, ServiceEngineGroup>(Groups + "GetServiceEngineGroup", new() { Name = "pair" });
        Assert.Empty(group.GatewayMon);
    }

    [Fact]
    public async Task CreateVs_PoolHealthMonitors_ReadBackWithAviDefaults()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);

        await server.AdminAsync<CreateVirtualServiceRequest, VirtualService>(Services + "CreateVirtualService", new() { VirtualService = Web(new HealthMonitor { Name = "tcp" }, new HealthMonitor { Name = "http", Type = HealthMonitorType.HealthMonitorHttp, HttpMonitor = new() { HttpResponseCode = { HttpResponseCode.Http2Xx, HttpResponseCode.Http3Xx } } }) });
        var vs = await server.ReaderAsync<GetVirtualServiceRequest, VirtualService>(Services + "GetVirtualService", new() { Name = "web" });

        var tcp = vs.PoolHealthMonitors[0];
        var http = vs.PoolHealthMonitors[1];
        Assert.Equal((HealthMonitorType.HealthMonitorTcp, 10, 4, 2, 2, 0), (tcp.Type, tcp.SendInterval, tcp.ReceiveTimeout, tcp.SuccessfulChecks, tcp.FailedChecks, tcp.MonitorPort));
        Assert.Null(tcp.HttpMonitor);
        Assert.Equal("GET / HTTP/1.0", http.HttpMonitor.HttpRequest);
        Assert.Equal([HttpResponseCode.Http2Xx, HttpResponseCode.Http3Xx], http.HttpMonitor.HttpResponseCode);
    }

    [Fact]
    public async Task CreateVs_BadHealthMonitors_InvalidArgumentPerFieldAndNothingCreated()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        var vs = Web(
            new HealthMonitor { Name = "slow", SendInterval = 5, ReceiveTimeout = 5 },
            new HealthMonitor { Name = "http", Type = HealthMonitorType.HealthMonitorHttp, HttpMonitor = new() { HttpRequest = "GET /", HttpResponseCode = { HttpResponseCode.Unspecified } } },
            new HealthMonitor { Name = "tcp", MonitorPort = 70000, HttpMonitor = new() });

        Task<VirtualService> CreateAsync(VirtualService v) => server.AdminAsync<CreateVirtualServiceRequest, VirtualService>(Services + "CreateVirtualService", new() { VirtualService = v });

        // A value the API does not define is refused before the rules are checked; then every rule broken is named.
        var unspecified = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateAsync(vs));
        vs.PoolHealthMonitors[1].HttpMonitor.HttpResponseCode.Clear();
        var rules = await FailsWithAsync(GrpcCode.InvalidArgument, () => CreateAsync(vs));

        Assert.Equal(["virtual_service.pool_health_monitors[1].http_monitor.http_response_code[0]"], Fields(unspecified));
        Assert.Equal(
            [
                "virtual_service.pool_health_monitors[0].receive_timeout",
                "virtual_service.pool_health_monitors[1].http_monitor.http_request",
                "virtual_service.pool_health_monitors[2].http_monitor",
                "virtual_service.pool_health_monitors[2].monitor_port",
            ],
            Fields(rules).Order(StringComparer.Ordinal));
        var list = await server.ReaderAsync<ListVirtualServicesRequest, ListVirtualServicesResponse>(Services + "ListVirtualServices", new());
        Assert.Empty(list.VirtualServices);
    }

    [Fact]
    public async Task GetPoolStatus_NotCheckedByAnySe_EveryServerUnknown_UnknownVsNotFound()
    {
        await using var server = await GatewayServer.StartAsync();
        await LegacyPairAsync(server);
        var vs = Web(new HealthMonitor { Name = "tcp" });
        vs.PoolServers.Add(new PoolServer { Ip = "192.0.2.31" });
        await server.AdminAsync<CreateVirtualServiceRequest, VirtualService>(Services + "CreateVirtualService", new() { VirtualService = vs });

        var status = await server.ReaderAsync<GetPoolStatusRequest, PoolStatus>("HaService/GetPoolStatus", new() { VirtualServiceRef = "web" });
        var missing = await FailsWithAsync(GrpcCode.NotFound, () => server.ReaderAsync<GetPoolStatusRequest, PoolStatus>("HaService/GetPoolStatus", new() { VirtualServiceRef = "nope" }));

        Assert.Equal(["tcp"], status.HealthMonitors);
        Assert.Equal([("192.0.2.30", 8080), ("192.0.2.31", 80)], status.Servers.Select(s => (s.Ip, s.Port)));
        Assert.All(status.Servers, s => Assert.Equal(OperState.OperUnknown, s.OperStatus.State));
        Assert.NotNull(missing);
    }

    private static VirtualService Web(params HealthMonitor[] monitors) => new()
    {
        Name = "web",
        SeGroupRef = "pair",
        Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.10" } },
        PoolServers = { new PoolServer { Ip = "192.0.2.30", Port = 8080 } },
        PoolHealthMonitors = { monitors },
    };
}
