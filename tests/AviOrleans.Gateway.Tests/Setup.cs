using AviOrleans.Api.V1;
using Google.Rpc;
using Grpc.Core;

namespace AviOrleans.Gateway.Tests;

/// <summary>Shared set-ups through the API, and assertions on gRPC errors.</summary>
internal static class Setup
{
    public static async Task<RpcException> FailsWithAsync(StatusCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, ex.StatusCode);
        return ex;
    }

    /// <summary>The fields of the google.rpc.BadRequest in grpc-status-details-bin (read by Grpc.StatusProto).</summary>
    public static IReadOnlyList<string> Fields(RpcException ex) => [.. Detail<BadRequest>(ex)?.FieldViolations.Select(v => v.Field) ?? []];

    public static T? Detail<T>(RpcException ex)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        foreach (var any in ex.GetRpcStatus()?.Details ?? [])
        {
            if (any.TryUnpack<T>(out var detail))
            {
                return detail;
            }
        }

        return null;
    }

    public static Task<ServiceEngineGroup> CreateGroupAsync(GatewayServer server, ServiceEngineGroup group) =>
        server.AdminAsync<CreateServiceEngineGroupRequest, ServiceEngineGroup>(
            "ServiceEngineGroupService/CreateServiceEngineGroup", new() { ServiceEngineGroup = group });

    public static Task<ServiceEngine> CreateEngineAsync(GatewayServer server, string name, string group, string host = "") =>
        server.AdminAsync<CreateServiceEngineRequest, ServiceEngine>(
            "ServiceEngineService/CreateServiceEngine", new() { ServiceEngine = new ServiceEngine { Name = name, SeGroupRef = group, HostRef = host } });

    public static Task<VirtualService> CreateVsAsync(GatewayServer server, string name, string group, string address, ActiveStandbySeTag tag = ActiveStandbySeTag.Unspecified) =>
        server.AdminAsync<CreateVirtualServiceRequest, VirtualService>(
            "VirtualServiceService/CreateVirtualService",
            new() { VirtualService = new VirtualService { Name = name, SeGroupRef = group, Vip = { new Vip { VipId = "0", IpAddress = address } }, ActiveStandbySeTag = tag } });

    public static Task<VirtualServicePlacement> PlacementAsync(GatewayServer server, string vs) =>
        server.ReaderAsync<GetVirtualServicePlacementRequest, VirtualServicePlacement>(
            "HaService/GetVirtualServicePlacement", new() { VirtualServiceRef = vs });

    /// <summary>A legacy active/standby pair se-a/se-b in group "pair".</summary>
    public static async Task LegacyPairAsync(GatewayServer server, bool distributeLoad = false)
    {
        await CreateGroupAsync(server, new ServiceEngineGroup
        {
            Name = "pair",
            HaMode = HaMode.LegacyActiveStandby,
            MaxSe = 2,
            BufferSe = 0,
            DistributeLoadActiveStandby = distributeLoad,
            FloatingIntfIp = { "192.0.2.250" },
            FloatingIntfIpSe2 = { "192.0.2.251" },
        });
        await CreateEngineAsync(server, "se-a", "pair");
        await CreateEngineAsync(server, "se-b", "pair");
    }
}
