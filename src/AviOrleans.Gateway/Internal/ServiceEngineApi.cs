using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.ServiceEngineService on the control plane.</summary>
[Authorize(Policy = GatewayPolicies.Reader)]
[BindServiceMethod(typeof(ServiceEngineApi), nameof(BindService))]
internal sealed class ServiceEngineApi(IHaControlPlane controlPlane, Pager pager) : ServiceEngineService.ServiceEngineServiceBase
{
    /// <summary>
    /// Called by Grpc.AspNetCore (see <see cref="StrictRequestBinder"/>). The service parameter is the generated base
    /// class, against which Grpc.AspNetCore checks that each method is an override.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, ServiceEngineService.ServiceEngineServiceBase? service) =>
        ServiceEngineService.BindService(new StrictRequestBinder(binder), service);

    private const string Field = "service_engine";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string> { "version", "oper_status", "vs_count" });

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<ServiceEngine> CreateServiceEngine(CreateServiceEngineRequest request, ServerCallContext context)
    {
        var engine = ResourceMapper.ToDomain(Requests.Required(request.ServiceEngine, Field), null, Field);
        var stored = await controlPlane.CreateServiceEngineAsync(engine, request.ValidateOnly, context.CancellationToken);
        return await ToApiAsync(stored, context.CancellationToken);
    }

    public override async Task<ServiceEngine> GetServiceEngine(GetServiceEngineRequest request, ServerCallContext context)
    {
        var engine = await controlPlane.GetServiceEngineAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return await ToApiAsync(engine, context.CancellationToken);
    }

    public override async Task<ListServiceEnginesResponse> ListServiceEngines(ListServiceEnginesRequest request, ServerCallContext context)
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

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<ServiceEngine> UpdateServiceEngine(UpdateServiceEngineRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.ServiceEngine,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetServiceEngineAsync(name, context.CancellationToken),
            current => ResourceMapper.ToApi(current, null),
            (merged, current) => ResourceMapper.ToDomain(merged, current, Field),
            async (current, updated) => await ToApiAsync(await controlPlane.UpdateServiceEngineAsync(current, updated, request.ValidateOnly, context.CancellationToken), context.CancellationToken));

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<Empty> DeleteServiceEngine(DeleteServiceEngineRequest request, ServerCallContext context)
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
