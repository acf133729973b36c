using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.ServiceEngineGroupService on the control plane.</summary>
[Authorize(Policy = GatewayPolicies.Reader)]
[BindServiceMethod(typeof(ServiceEngineGroupApi), nameof(BindService))]
internal sealed class ServiceEngineGroupApi(IHaControlPlane controlPlane, Pager pager) : ServiceEngineGroupService.ServiceEngineGroupServiceBase
{
    /// <summary>
    /// Called by Grpc.AspNetCore (see <see cref="StrictRequestBinder"/>). The service parameter is the generated base
    /// class, against which Grpc.AspNetCore checks that each method is an override.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, ServiceEngineGroupService.ServiceEngineGroupServiceBase? service) =>
        ServiceEngineGroupService.BindService(new StrictRequestBinder(binder), service);

    private const string Field = "service_engine_group";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string>());

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<ServiceEngineGroup> CreateServiceEngineGroup(CreateServiceEngineGroupRequest request, ServerCallContext context)
    {
        var group = ResourceMapper.ToDomain(Requests.Required(request.ServiceEngineGroup, Field), Field);
        return ResourceMapper.ToApi(await controlPlane.CreateServiceEngineGroupAsync(group, request.ValidateOnly, context.CancellationToken));
    }

    public override async Task<ServiceEngineGroup> GetServiceEngineGroup(GetServiceEngineGroupRequest request, ServerCallContext context) =>
        ResourceMapper.ToApi(await controlPlane.GetServiceEngineGroupAsync(Requests.Required(request.Name, "name"), context.CancellationToken));

    public override async Task<ListServiceEngineGroupsResponse> ListServiceEngineGroups(ListServiceEngineGroupsRequest request, ServerCallContext context)
    {
        var all = await controlPlane.ListServiceEngineGroupsAsync(context.CancellationToken);
        var page = pager.Cut(all, g => g.Name, request.PageSize, request.PageToken, "serviceenginegroup", string.Empty);
        var response = new ListServiceEngineGroupsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.ServiceEngineGroups.AddRange(page.Items.Select(ResourceMapper.ToApi));
        return response;
    }

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<ServiceEngineGroup> UpdateServiceEngineGroup(UpdateServiceEngineGroupRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.ServiceEngineGroup,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetServiceEngineGroupAsync(name, context.CancellationToken),
            ResourceMapper.ToApi,
            (merged, _) => ResourceMapper.ToDomain(merged, Field),
            async (current, updated) => ResourceMapper.ToApi(await controlPlane.UpdateServiceEngineGroupAsync(current, updated, request.ValidateOnly, context.CancellationToken)));

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<Empty> DeleteServiceEngineGroup(DeleteServiceEngineGroupRequest request, ServerCallContext context)
    {
        await controlPlane.DeleteServiceEngineGroupAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return new Empty();
    }
}
