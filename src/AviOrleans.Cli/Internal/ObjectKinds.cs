using AviOrleans.Api.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Cli.Internal;

/// <summary>The objects avictl configures, by Avi CLI name.</summary>
internal static class ObjectKinds
{
    private const int PageSize = 1000;

    public static readonly ObjectKind ServiceEngineGroup = new()
    {
        Name = "serviceenginegroup",
        Descriptor = Api.V1.ServiceEngineGroup.Descriptor,
        ReadOnly = new HashSet<string>(),
        Get = async (c, name) => await c.CallAsync<GetServiceEngineGroupRequest, Api.V1.ServiceEngineGroup>("ServiceEngineGroupService/GetServiceEngineGroup", new() { Name = name }),
        Create = async (c, m, validateOnly) => await c.CallAsync<CreateServiceEngineGroupRequest, Api.V1.ServiceEngineGroup>(
            "ServiceEngineGroupService/CreateServiceEngineGroup", new() { ServiceEngineGroup = (Api.V1.ServiceEngineGroup)m, ValidateOnly = validateOnly }),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync<UpdateServiceEngineGroupRequest, Api.V1.ServiceEngineGroup>(
            "ServiceEngineGroupService/UpdateServiceEngineGroup", new() { ServiceEngineGroup = (Api.V1.ServiceEngineGroup)m, UpdateMask = mask, ValidateOnly = validateOnly }),
        Delete = (c, name) => c.CallAsync<DeleteServiceEngineGroupRequest, Empty>("ServiceEngineGroupService/DeleteServiceEngineGroup", new() { Name = name }),
        List = async (c, _) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ServiceEngineGroupService/ListServiceEngineGroups", new() { PageSize = PageSize, PageToken = token });
            return (page.ServiceEngineGroups.Cast<IMessage>(), page.NextPageToken);
        }),
        Table = items => Render.Groups(items.Cast<Api.V1.ServiceEngineGroup>()),
    };

    public static readonly ObjectKind ServiceEngine = new()
    {
        Name = "serviceengine",
        Descriptor = Api.V1.ServiceEngine.Descriptor,
        ReadOnly = new HashSet<string> { "version", "oper_status", "vs_count" },
        HasGroup = true,
        Get = async (c, name) => await c.CallAsync<GetServiceEngineRequest, Api.V1.ServiceEngine>("ServiceEngineService/GetServiceEngine", new() { Name = name }),
        Create = async (c, m, validateOnly) => await c.CallAsync<CreateServiceEngineRequest, Api.V1.ServiceEngine>(
            "ServiceEngineService/CreateServiceEngine", new() { ServiceEngine = (Api.V1.ServiceEngine)m, ValidateOnly = validateOnly }),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync<UpdateServiceEngineRequest, Api.V1.ServiceEngine>(
            "ServiceEngineService/UpdateServiceEngine", new() { ServiceEngine = (Api.V1.ServiceEngine)m, UpdateMask = mask, ValidateOnly = validateOnly }),
        Delete = (c, name) => c.CallAsync<DeleteServiceEngineRequest, Empty>("ServiceEngineService/DeleteServiceEngine", new() { Name = name }),
        List = async (c, group) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync<ListServiceEnginesRequest, ListServiceEnginesResponse>("ServiceEngineService/ListServiceEngines", new() { PageSize = PageSize, PageToken = token, SeGroupRef = group ?? string.Empty });
            return (page.ServiceEngines.Cast<IMessage>(), page.NextPageToken);
        }),
        Table = items => Render.Engines(items.Cast<Api.V1.ServiceEngine>()),
    };

    public static readonly ObjectKind VirtualService = new()
    {
        Name = "virtualservice",
        Descriptor = Api.V1.VirtualService.Descriptor,
        ReadOnly = new HashSet<string> { "oper_status" },
        HasGroup = true,
        Get = async (c, name) => await c.CallAsync<GetVirtualServiceRequest, Api.V1.VirtualService>("VirtualServiceService/GetVirtualService", new() { Name = name }),
        Create = async (c, m, validateOnly) => await c.CallAsync<CreateVirtualServiceRequest, Api.V1.VirtualService>(
            "VirtualServiceService/CreateVirtualService", new() { VirtualService = (Api.V1.VirtualService)m, ValidateOnly = validateOnly }),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync<UpdateVirtualServiceRequest, Api.V1.VirtualService>(
            "VirtualServiceService/UpdateVirtualService", new() { VirtualService = (Api.V1.VirtualService)m, UpdateMask = mask, ValidateOnly = validateOnly }),
        Delete = (c, name) => c.CallAsync<DeleteVirtualServiceRequest, Empty>("VirtualServiceService/DeleteVirtualService", new() { Name = name }),
        List = async (c, group) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync<ListVirtualServicesRequest, ListVirtualServicesResponse>("VirtualServiceService/ListVirtualServices", new() { PageSize = PageSize, PageToken = token, SeGroupRef = group ?? string.Empty });
            return (page.VirtualServices.Cast<IMessage>(), page.NextPageToken);
        }),
        Table = items => Render.VirtualServices(items.Cast<Api.V1.VirtualService>()),
    };

    public static readonly ObjectKind VsVip = new()
    {
        Name = "vsvip",
        Descriptor = Api.V1.VsVip.Descriptor,
        ReadOnly = new HashSet<string>(),
        Get = async (c, name) => await c.CallAsync<GetVsVipRequest, Api.V1.VsVip>("VsVipService/GetVsVip", new() { Name = name }),
        Create = async (c, m, validateOnly) => await c.CallAsync<CreateVsVipRequest, Api.V1.VsVip>(
            "VsVipService/CreateVsVip", new() { VsVip = (Api.V1.VsVip)m, ValidateOnly = validateOnly }),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync<UpdateVsVipRequest, Api.V1.VsVip>(
            "VsVipService/UpdateVsVip", new() { VsVip = (Api.V1.VsVip)m, UpdateMask = mask, ValidateOnly = validateOnly }),
        Delete = (c, name) => c.CallAsync<DeleteVsVipRequest, Empty>("VsVipService/DeleteVsVip", new() { Name = name }),
        List = async (c, _) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync<ListVsVipsRequest, ListVsVipsResponse>("VsVipService/ListVsVips", new() { PageSize = PageSize, PageToken = token });
            return (page.VsVips.Cast<IMessage>(), page.NextPageToken);
        }),
        Table = items => Render.VsVips(items.Cast<Api.V1.VsVip>()),
    };

    public static IReadOnlyList<ObjectKind> All { get; } = [ServiceEngineGroup, ServiceEngine, VirtualService, VsVip];

    private static async Task<IReadOnlyList<IMessage>> AllPagesAsync(Func<string, Task<(IEnumerable<IMessage> Items, string Next)>> page)
    {
        var all = new List<IMessage>();
        var token = string.Empty;
        do
        {
            var (items, next) = await page(token);
            all.AddRange(items);
            token = next;
        }
        while (token.Length > 0);
        return all;
    }
}
