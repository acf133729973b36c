using AviOrleans.Api.V1;
using AviOrleans.Grains;
using AviOrleans.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.ServiceEngineGroupService on the control plane.</summary>
internal sealed class ServiceEngineGroupHandlers(IHaControlPlane controlPlane, Pager pager)
{
    private const string Field = "service_engine_group";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string>());

    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.Create(ServiceEngineGroupReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("ServiceEngineGroupService"))
            .AddUnary<CreateServiceEngineGroupRequest, ServiceEngineGroup>("CreateServiceEngineGroup", CreateAsync, GrpcRole.Admin)
            .AddUnary<GetServiceEngineGroupRequest, ServiceEngineGroup>("GetServiceEngineGroup", GetAsync)
            .AddUnary<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>("ListServiceEngineGroups", ListAsync)
            .AddUnary<UpdateServiceEngineGroupRequest, ServiceEngineGroup>("UpdateServiceEngineGroup", UpdateAsync, GrpcRole.Admin)
            .AddUnary<DeleteServiceEngineGroupRequest, Empty>("DeleteServiceEngineGroup", DeleteAsync, GrpcRole.Admin);

    private async Task<ServiceEngineGroup> CreateAsync(CreateServiceEngineGroupRequest request, ServerCallContext context)
    {
        var group = ResourceMapper.ToDomain(Requests.Required(request.ServiceEngineGroup, Field), Field);
        return ResourceMapper.ToApi(await controlPlane.CreateServiceEngineGroupAsync(group, request.ValidateOnly, context.CancellationToken));
    }

    private async Task<ServiceEngineGroup> GetAsync(GetServiceEngineGroupRequest request, ServerCallContext context) =>
        ResourceMapper.ToApi(await controlPlane.GetServiceEngineGroupAsync(Requests.Required(request.Name, "name"), context.CancellationToken));

    private async Task<ListServiceEngineGroupsResponse> ListAsync(ListServiceEngineGroupsRequest request, ServerCallContext context)
    {
        var all = await controlPlane.ListServiceEngineGroupsAsync(context.CancellationToken);
        var page = pager.Cut(all, g => g.Name, request.PageSize, request.PageToken, "serviceenginegroup", string.Empty);
        var response = new ListServiceEngineGroupsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.ServiceEngineGroups.AddRange(page.Items.Select(ResourceMapper.ToApi));
        return response;
    }

    private Task<ServiceEngineGroup> UpdateAsync(UpdateServiceEngineGroupRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.ServiceEngineGroup,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetServiceEngineGroupAsync(name, context.CancellationToken),
            ResourceMapper.ToApi,
            (merged, _) => ResourceMapper.ToDomain(merged, Field),
            async (current, updated) => ResourceMapper.ToApi(await controlPlane.UpdateServiceEngineGroupAsync(current, updated, request.ValidateOnly, context.CancellationToken)));

    private async Task<Empty> DeleteAsync(DeleteServiceEngineGroupRequest request, ServerCallContext context)
    {
        await controlPlane.DeleteServiceEngineGroupAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return new Empty();
    }
}
