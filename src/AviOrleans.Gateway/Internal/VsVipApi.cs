using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.VsVipService on the control plane.</summary>
[Authorize(Policy = GatewayPolicies.Reader)]
[BindServiceMethod(typeof(VsVipApi), nameof(BindService))]
internal sealed class VsVipApi(IHaControlPlane controlPlane, Pager pager) : VsVipService.VsVipServiceBase
{
    /// <summary>
    /// Called by Grpc.AspNetCore (see <see cref="StrictRequestBinder"/>). The service parameter is the generated base
    /// class, against which Grpc.AspNetCore checks that each method is an override.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, VsVipService.VsVipServiceBase? service) =>
        VsVipService.BindService(new StrictRequestBinder(binder), service);

    private const string Field = "vs_vip";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string>());

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<VsVip> CreateVsVip(CreateVsVipRequest request, ServerCallContext context)
    {
        var vsVip = ResourceMapper.ToDomain(Requests.Required(request.VsVip, Field), Field);
        return ResourceMapper.ToApi(await controlPlane.CreateVsVipAsync(vsVip, request.ValidateOnly, context.CancellationToken));
    }

    public override async Task<VsVip> GetVsVip(GetVsVipRequest request, ServerCallContext context) =>
        ResourceMapper.ToApi(await controlPlane.GetVsVipAsync(Requests.Required(request.Name, "name"), context.CancellationToken));

    public override async Task<ListVsVipsResponse> ListVsVips(ListVsVipsRequest request, ServerCallContext context)
    {
        var all = await controlPlane.ListVsVipsAsync(context.CancellationToken);
        var page = pager.Cut(all, v => v.Name, request.PageSize, request.PageToken, "vsvip", string.Empty);
        var response = new ListVsVipsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.VsVips.AddRange(page.Items.Select(ResourceMapper.ToApi));
        return response;
    }

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<VsVip> UpdateVsVip(UpdateVsVipRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.VsVip,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetVsVipAsync(name, context.CancellationToken),
            ResourceMapper.ToApi,
            (merged, _) => ResourceMapper.ToDomain(merged, Field),
            async (current, updated) => ResourceMapper.ToApi(await controlPlane.UpdateVsVipAsync(current, updated, request.ValidateOnly, context.CancellationToken)));

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<Empty> DeleteVsVip(DeleteVsVipRequest request, ServerCallContext context)
    {
        await controlPlane.DeleteVsVipAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return new Empty();
    }
}
