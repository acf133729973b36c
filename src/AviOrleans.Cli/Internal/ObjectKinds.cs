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
        Get = async (c, name) => await c.CallAsync(o => c.Groups.GetServiceEngineGroupAsync(new() { Name = name }, o)),
        Create = async (c, m, validateOnly) => await c.CallAsync(o => c.Groups.CreateServiceEngineGroupAsync(new() { ServiceEngineGroup = (Api.V1.ServiceEngineGroup)m, ValidateOnly = validateOnly }, o)),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync(o => c.Groups.UpdateServiceEngineGroupAsync(new() { ServiceEngineGroup = (Api.V1.ServiceEngineGroup)m, UpdateMask = mask, ValidateOnly = validateOnly }, o)),
        Delete = (c, name) => c.CallAsync(o => c.Groups.DeleteServiceEngineGroupAsync(new() { Name = name }, o)),
        List = async (c, _) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync(o => c.Groups.ListServiceEngineGroupsAsync(new() { PageSize = PageSize, PageToken = token }, o));
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
        Get = async (c, name) => await c.CallAsync(o => c.Engines.GetServiceEngineAsync(new() { Name = name }, o)),
        Create = async (c, m, validateOnly) => await c.CallAsync(o => c.Engines.CreateServiceEngineAsync(new() { ServiceEngine = (Api.V1.ServiceEngine)m, ValidateOnly = validateOnly }, o)),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync(o => c.Engines.UpdateServiceEngineAsync(new() { ServiceEngine = (Api.V1.ServiceEngine)m, UpdateMask = mask, ValidateOnly = validateOnly }, o)),
        Delete = (c, name) => c.CallAsync(o => c.Engines.DeleteServiceEngineAsync(new() { Name = name }, o)),
        List = async (c, group) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync(o => c.Engines.ListServiceEnginesAsync(new() { PageSize = PageSize, PageToken = token, SeGroupRef = group ?? string.Empty }, o));
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
        Get = async (c, name) => await c.CallAsync(o => c.VirtualServices.GetVirtualServiceAsync(new() { Name = name }, o)),
        Create = async (c, m, validateOnly) => await c.CallAsync(o => c.VirtualServices.CreateVirtualServiceAsync(new() { VirtualService = (Api.V1.VirtualService)m, ValidateOnly = validateOnly }, o)),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync(o => c.VirtualServices.UpdateVirtualServiceAsync(new() { VirtualService = (Api.V1.VirtualService)m, UpdateMask = mask, ValidateOnly = validateOnly }, o)),
        Delete = (c, name) => c.CallAsync(o => c.VirtualServices.DeleteVirtualServiceAsync(new() { Name = name }, o)),
        List = async (c, group) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync(o => c.VirtualServices.ListVirtualServicesAsync(new() { PageSize = PageSize, PageToken = token, SeGroupRef = group ?? string.Empty }, o));
            return (page.VirtualServices.Cast<IMessage>(), page.NextPageToken);
        }),
        Table = items => Render.VirtualServices(items.Cast<Api.V1.VirtualService>()),
    };

    public static readonly ObjectKind VsVip = new()
    {
        Name = "vsvip",
        Descriptor = Api.V1.VsVip.Descriptor,
        ReadOnly = new HashSet<string>(),
        Get = async (c, name) => await c.CallAsync(o => c.VsVips.GetVsVipAsync(new() { Name = name }, o)),
        Create = async (c, m, validateOnly) => await c.CallAsync(o => c.VsVips.CreateVsVipAsync(new() { VsVip = (Api.V1.VsVip)m, ValidateOnly = validateOnly }, o)),
        Update = async (c, m, mask, validateOnly) => await c.CallAsync(o => c.VsVips.UpdateVsVipAsync(new() { VsVip = (Api.V1.VsVip)m, UpdateMask = mask, ValidateOnly = validateOnly }, o)),
        Delete = (c, name) => c.CallAsync(o => c.VsVips.DeleteVsVipAsync(new() { Name = name }, o)),
        List = async (c, _) => await AllPagesAsync(async token =>
        {
            var page = await c.CallAsync(o => c.VsVips.ListVsVipsAsync(new() { PageSize = PageSize, PageToken = token }, o));
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
