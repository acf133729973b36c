using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.VirtualServiceService on the control plane.</summary>
[Authorize(Policy = GatewayPolicies.Reader)]
[BindServiceMethod(typeof(VirtualServiceApi), nameof(BindService))]
internal sealed class VirtualServiceApi(IHaControlPlane controlPlane, Pager pager) : VirtualServiceService.VirtualServiceServiceBase
{
    /// <summary>
    /// Called by Grpc.AspNetCore (see <see cref="StrictRequestBinder"/>). The service parameter is the generated base
    /// class, against which Grpc.AspNetCore checks that each method is an override.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, VirtualServiceService.VirtualServiceServiceBase? service) =>
        VirtualServiceService.BindService(new StrictRequestBinder(binder), service);

    private const string Field = "virtual_service";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string> { "oper_status" });

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<VirtualService> CreateVirtualService(CreateVirtualServiceRequest request, ServerCallContext context)
    {
        var vs = ResourceMapper.ToDomain(Requests.Required(request.VirtualService, Field), Field);
        var stored = await controlPlane.CreateVirtualServiceAsync(vs, request.ValidateOnly, context.CancellationToken);
        return await ToApiAsync(stored, request.ValidateOnly, context.CancellationToken);
    }

    public override async Task<VirtualService> GetVirtualService(GetVirtualServiceRequest request, ServerCallContext context)
    {
        var vs = await controlPlane.GetVirtualServiceAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return await ToApiAsync(vs, false, context.CancellationToken);
    }

    public override async Task<ListVirtualServicesResponse> ListVirtualServices(ListVirtualServicesRequest request, ServerCallContext context)
    {
        var group = Requests.Optional(request.SeGroupRef);
        var all = await controlPlane.ListVirtualServicesAsync(group, context.CancellationToken);
        var page = pager.Cut(all, v => v.Name, request.PageSize, request.PageToken, "virtualservice", group ?? string.Empty);
        var placements = (await controlPlane.ListVirtualServicePlacementsAsync(group, context.CancellationToken))
            .ToDictionary(p => p.Placement.VsRef, p => p.Placement, StringComparer.Ordinal);
        var response = new ListVirtualServicesResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.VirtualServices.AddRange(page.Items.Select(v => ResourceMapper.ToApi(v, placements.GetValueOrDefault(v.Name))));
        return response;
    }

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<VirtualService> UpdateVirtualService(UpdateVirtualServiceRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.VirtualService,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetVirtualServiceAsync(name, context.CancellationToken),
            current => ResourceMapper.ToApi(current, null),
            (merged, _) => ResourceMapper.ToDomain(merged, Field),
            async (current, updated) => await ToApiAsync(await controlPlane.UpdateVirtualServiceAsync(current, updated, request.ValidateOnly, context.CancellationToken), request.ValidateOnly, context.CancellationToken));

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<Empty> DeleteVirtualService(DeleteVirtualServiceRequest request, ServerCallContext context)
    {
        await controlPlane.DeleteVirtualServiceAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return new Empty();
    }

    private async Task<VirtualService> ToApiAsync(Domain.VirtualService vs, bool validateOnly, CancellationToken cancellationToken)
    {
        if (validateOnly)
        {
            // Nothing was stored, so there is no placement to report.
            return ResourceMapper.ToApi(vs, null);
        }

        var view = await controlPlane.GetVirtualServicePlacementAsync(vs.Name, cancellationToken);
        return ResourceMapper.ToApi(vs, view.Placement);
    }
}
