using AviOrleans.Api.V1;
using AviOrleans.Grains;
using AviOrleans.Grpc;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.VsVipService on the control plane.</summary>
internal sealed class VsVipHandlers(IHaControlPlane controlPlane, Pager pager)
{
    private const string Field = "vs_vip";
    private static readonly UpdateRules Rules = new(Field, new HashSet<string> { "name" }, new HashSet<string>());

    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.Create(VirtualServiceReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("VsVipService"))
            .AddUnary<CreateVsVipRequest, VsVip>("CreateVsVip", CreateAsync, GrpcRole.Admin)
            .AddUnary<GetVsVipRequest, VsVip>("GetVsVip", GetAsync)
            .AddUnary<ListVsVipsRequest, ListVsVipsResponse>("ListVsVips", ListAsync)
            .AddUnary<UpdateVsVipRequest, VsVip>("UpdateVsVip", UpdateAsync, GrpcRole.Admin)
            .AddUnary<DeleteVsVipRequest, Empty>("DeleteVsVip", DeleteAsync, GrpcRole.Admin);

    private async Task<VsVip> CreateAsync(CreateVsVipRequest request, ServerCallContext context)
    {
        var vsVip = ResourceMapper.ToDomain(Requests.Required(request.VsVip, Field), Field);
        return ResourceMapper.ToApi(await controlPlane.CreateVsVipAsync(vsVip, request.ValidateOnly, context.CancellationToken));
    }

    private async Task<VsVip> GetAsync(GetVsVipRequest request, ServerCallContext context) =>
        ResourceMapper.ToApi(await controlPlane.GetVsVipAsync(Requests.Required(request.Name, "name"), context.CancellationToken));

    private async Task<ListVsVipsResponse> ListAsync(ListVsVipsRequest request, ServerCallContext context)
    {
        var all = await controlPlane.ListVsVipsAsync(context.CancellationToken);
        var page = pager.Cut(all, v => v.Name, request.PageSize, request.PageToken, "vsvip", string.Empty);
        var response = new ListVsVipsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.VsVips.AddRange(page.Items.Select(ResourceMapper.ToApi));
        return response;
    }

    private Task<VsVip> UpdateAsync(UpdateVsVipRequest request, ServerCallContext context) =>
        Updates.PatchAsync(
            request.VsVip,
            request.UpdateMask,
            Rules,
            patch => patch.Name,
            name => controlPlane.GetVsVipAsync(name, context.CancellationToken),
            ResourceMapper.ToApi,
            (merged, _) => ResourceMapper.ToDomain(merged, Field),
            async (current, updated) => ResourceMapper.ToApi(await controlPlane.UpdateVsVipAsync(current, updated, request.ValidateOnly, context.CancellationToken)));

    private async Task<Empty> DeleteAsync(DeleteVsVipRequest request, ServerCallContext context)
    {
        await controlPlane.DeleteVsVipAsync(Requests.Required(request.Name, "name"), context.CancellationToken);
        return new Empty();
    }
}
