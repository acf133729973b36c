using AviOrleans.Api.V1;
using AviOrleans.Grains;
using AviOrleans.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.ServiceEngineService on the control plane.</summary>
internal sealed class ServiceEngineHandlers(IHaControlPlane controlPlane, Pager pager)
{
    private const string Field = "service_engine";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string> { "version", "oper_status", "vs_count" });

    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.Create(ServiceEngineReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("ServiceEngineService"))
            .AddUnary<CreateServiceEngineRequest, ServiceEngine>("CreateServiceEngine", CreateAsync, GrpcRole.Admin)
            .AddUnary<GetServiceEngineRequest, ServiceEngine>("GetServiceEngine", GetAsync)
            .AddUnary<ListServiceEnginesRequest, ListServiceEnginesResponse>("ListServiceEngines", ListAsync)
            .AddUnary<UpdateServiceEngineRequest, ServiceEngine>("UpdateServiceEngine", UpdateAsync, GrpcRole.Admin)
            .AddUnary<DeleteServiceEngineRequest, Empty>("DeleteServiceEngine", DeleteAsync, GrpcRole.Admin);

    private async Task<ServiceEngine> CreateAsync(CreateServiceEngineRequest request, ServerCallContext context)
    {
        var engine = ResourceMapper.ToDomain(Requests.Required(request.ServiceEngine, Field), null, Field);
        var stored = await controlPlane.CreateServiceEngineAsync(engine, request.ValidateOnly, context.CancellationToken);
        return await ToApiAsync(stored, context.CancellationToken);
    }

    private async Task<ServiceEngine> GetAsync(GetServiceEngineRequest request, ServerCallContext context)
    {
        var engine = await controlPlane.GetServiceEngineAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return await ToApiAsync(engine, context.CancellationToken);
    }

    private async Task<ListServiceEnginesResponse> ListAsync(ListServiceEnginesRequest request, ServerCallContext context)
    {
        var group = Requests.Optional(request.SeGroupRef);
        var all = await controlPlane.ListServiceEnginesAsync(group, context.CancellationToken);
        var page = pager.Cut(all, s => s.Name, request.PageSize, request.PageToken, "serviceengine", group ?? string.Empty);
        var response = new ListServiceEnginesResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        foreach (var engine in page.Items)
        {
            response.ServiceEngines.Add(await ToApiAsync(engine, context.CancellationToken));
        }

        return response;
    }

    private Task<ServiceEngine> UpdateAsync(UpdateServiceEngineRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.ServiceEngine,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetServiceEngineAsync(name, context.CancellationToken),
            current => ResourceMapper.ToApi(current, null),
            (merged, current) => ResourceMapper.ToDomain(merged, current, Field),
            async (current, updated) => await ToApiAsync(await controlPlane.UpdateServiceEngineAsync(current, updated, request.ValidateOnly, context.CancellationToken), context.CancellationToken));

    private async Task<Empty> DeleteAsync(DeleteServiceEngineRequest request, ServerCallContext context)
    {
        await controlPlane.DeleteServiceEngineAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return new Empty();
    }

    private async Task<ServiceEngine> ToApiAsync(Domain.ServiceEngine engine, CancellationToken cancellationToken)
    {
        Domain.GroupPlacement? placement = null;
        try
        {
            placement = await controlPlane.GetGroupPlacementAsync(engine.SeGroupRef, cancellationToken);
        }
        catch (HaObjectNotFoundException)
        {
            // A validate-only create for a group being made: no placement to report yet.
        }

        return ResourceMapper.ToApi(engine, placement);
    }
}
