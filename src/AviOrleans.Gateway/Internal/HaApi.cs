using AviOrleans.Api.V1;
using AviOrleans.Domain;
using AviOrleans.Grains;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.HaService: placement status, the placement watch, and HA operations.</summary>
[Authorize(Policy = GatewayPolicies.Reader)]
[BindServiceMethod(typeof(HaApi), nameof(BindService))]
internal sealed class HaApi(IHaControlPlane controlPlane, Pager pager, TimeProvider timeProvider) : HaService.HaServiceBase
{
    /// <summary>
    /// Called by Grpc.AspNetCore (see <see cref="StrictRequestBinder"/>). The service parameter is the generated base
    /// class, against which Grpc.AspNetCore checks that each method is an override.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, HaService.HaServiceBase? service) =>
        HaService.BindService(new StrictRequestBinder(binder), service);

    public override async Task<ServiceEngineGroupStatus> GetServiceEngineGroupStatus(GetServiceEngineGroupStatusRequest request, ServerCallContext context) =>
        PlacementMapper.ToApi(await controlPlane.GetGroupPlacementAsync(Requests.Required(request.SeGroupRef, "se_group_ref"), context.CancellationToken));

    public override async Task<VirtualServicePlacement> GetVirtualServicePlacement(GetVirtualServicePlacementRequest request, ServerCallContext context) =>
        PlacementMapper.ToApi(await controlPlane.GetVirtualServicePlacementAsync(Requests.Required(request.VirtualServiceRef, "virtual_service_ref"), context.CancellationToken));

    public override async Task<VirtualServiceHistory> GetVirtualServiceHistory(GetVirtualServiceHistoryRequest request, ServerCallContext context)
    {
        var name = Requests.Required(request.VirtualServiceRef, "virtual_service_ref");
        var response = new VirtualServiceHistory { VirtualServiceRef = name };
        response.Records.AddRange((await controlPlane.GetPlacementHistoryAsync(name, context.CancellationToken)).Select(PlacementMapper.ToApi));
        return response;
    }

    public override async Task<PoolStatus> GetPoolStatus(GetPoolStatusRequest request, ServerCallContext context)
    {
        var name = Requests.Required(request.VirtualServiceRef, "virtual_service_ref");
        var vs = await controlPlane.GetVirtualServiceAsync(name, context.CancellationToken);
        var placement = await controlPlane.GetVirtualServicePlacementAsync(name, context.CancellationToken);
        var health = await controlPlane.GetPoolHealthAsync(name, context.CancellationToken);
        return PoolStatusMapper.ToApi(vs, placement.Placement.PrimarySeRef, health);
    }

    public override async Task<ListVirtualServicePlacementsResponse> ListVirtualServicePlacements(ListVirtualServicePlacementsRequest request, ServerCallContext context)
    {
        var group = Requests.Optional(request.SeGroupRef);
        var all = await controlPlane.ListVirtualServicePlacementsAsync(group, context.CancellationToken);
        var page = pager.Cut(all, p => p.Placement.VsRef, request.PageSize, request.PageToken, "placement", group ?? string.Empty);
        var response = new ListVirtualServicePlacementsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.Placements.AddRange(page.Items.Select(PlacementMapper.ToApi));
        return response;
    }

    public override async Task WatchPlacements(WatchPlacementsRequest request, IServerStreamWriter<Api.V1.PlacementChange> responseStream, ServerCallContext context)
    {
        var filter = new PlacementWatchFilter(Requests.Optional(request.SeGroupRef), Requests.Optional(request.VirtualServiceRef));

        // A resume point beyond what a long holds cannot be one of ours: start from a snapshot.
        var resume = request.ResumeAfterSequence > long.MaxValue ? long.MaxValue : (long)request.ResumeAfterSequence;

        // The call's token also fires when the gateway stops (StreamingShutdownInterceptor), which then ends the
        // watch with UNAVAILABLE: the client reconnects with resume_after_sequence.
        await foreach (var change in controlPlane.WatchPlacementsAsync(filter, resume, context.CancellationToken))
        {
            await responseStream.WriteAsync(PlacementMapper.ToApi(change), context.CancellationToken);
        }
    }

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<HaOperationResponse> SwitchoverVirtualService(SwitchoverVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new VsSwitchoverRequest { VsRef = vsRef, VipId = Requests.Optional(request.VipId) }, context);

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task<HaOperationResponse> SwitchoverServiceEngine(SwitchoverServiceEngineRequest request, ServerCallContext context)
    {
        var se = await controlPlane.GetServiceEngineAsync(Requests.Required(request.SeRef, "se_ref"), context.CancellationToken);
        return await RunAsync(se.SeGroupRef, new SeSwitchoverRequest { SeRef = se.Name }, context);
    }

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<HaOperationResponse> RedistributeServiceEngineGroup(RedistributeServiceEngineGroupRequest request, ServerCallContext context) =>
        RunAsync(Requests.Required(request.SeGroupRef, "se_group_ref"), new RedistributeRequest(), context);

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<HaOperationResponse> MigrateVirtualService(MigrateVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new MigrateRequest
        {
            VsRef = vsRef,
            VipId = Requests.Optional(request.VipId),
            FromSeRef = Requests.Optional(request.FromSeRef),
            ToSeRef = Requests.Optional(request.ToSeRef),
        }, context);

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<HaOperationResponse> ScaleOutVirtualService(ScaleOutVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new ScaleOutRequest { VsRef = vsRef, VipId = Requests.Optional(request.VipId), ToSeRef = Requests.Optional(request.ToSeRef) }, context);

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override Task<HaOperationResponse> ScaleInVirtualService(ScaleInVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new ScaleInRequest
        {
            VsRef = vsRef,
            VipId = Requests.Optional(request.VipId),
            FromSeRef = Requests.Optional(request.FromSeRef),
            ScaleinPrimary = request.ScaleinPrimary,
        }, context);

    [Authorize(Policy = GatewayPolicies.Admin)]
    public override async Task UpgradeServiceEngineGroup(UpgradeServiceEngineGroupRequest request, IServerStreamWriter<UpgradeProgress> responseStream, ServerCallContext context)
    {
        var group = Requests.Required(request.SeGroupRef, "se_group_ref");
        var options = new SeUpgradeParams
        {
            TargetVersion = Requests.Required(request.Version, "version"),
            Disruptive = request.Disruptive,
            ActionOnError = request.ActionOnError switch
            {
                Api.V1.UpgradeActionOnError.Unspecified or Api.V1.UpgradeActionOnError.SuspendUpgradeOpsOnError => Domain.UpgradeActionOnError.SuspendUpgradeOpsOnError,
                Api.V1.UpgradeActionOnError.ContinueUpgradeOpsOnError => Domain.UpgradeActionOnError.ContinueUpgradeOpsOnError,
                _ => throw new InvalidRequestException("action_on_error", $"{(int)request.ActionOnError} is not SUSPEND_UPGRADE_OPS_ON_ERROR or CONTINUE_UPGRADE_OPS_ON_ERROR."),
            },
        };
        // The upgrade runs in its grain: stopping the gateway (StreamingShutdownInterceptor fires the call's token) or
        // the caller going away ends only this stream; the same call on any gateway follows the upgrade again.
        await foreach (var step in controlPlane.UpgradeServiceEngineGroupAsync(group, options, context.CancellationToken))
        {
            var progress = new UpgradeProgress
            {
                SeGroupRef = step.SeGroupRef,
                State = step.Kind switch
                {
                    UpgradeReportKind.Started => UpgradeState.UpgradeStarted,
                    UpgradeReportKind.Preparing => UpgradeState.UpgradeSePreparing,
                    UpgradeReportKind.SeStarted => UpgradeState.UpgradeSeStarted,
                    UpgradeReportKind.SeDone => UpgradeState.UpgradeSeDone,
                    UpgradeReportKind.SeFailed => UpgradeState.UpgradeSeFailed,
                    UpgradeReportKind.Completed => UpgradeState.UpgradeCompleted,
                    UpgradeReportKind.Suspended => UpgradeState.UpgradeSuspended,
                    _ => UpgradeState.Unspecified,
                },
                SeRef = step.SeRef ?? string.Empty,
                CompletedSe = step.CompletedSe,
                TotalSe = step.TotalSe,
                Reason = step.Description,
            };
            progress.Placements.AddRange(step.Changed.Select(PlacementMapper.ToApi));
            await responseStream.WriteAsync(progress, context.CancellationToken);
        }
    }

    /// <summary>Runs an operation on a VS in the group that holds it.</summary>
    private async Task<HaOperationResponse> RunOnVirtualServiceAsync(string virtualServiceRef, Func<string, PlacementRequest> request, ServerCallContext context)
    {
        var vs = await controlPlane.GetVirtualServiceAsync(Requests.Required(virtualServiceRef, "virtual_service_ref"), context.CancellationToken);
        return await RunAsync(vs.SeGroupRef, request(vs.Name), context);
    }

    private async Task<HaOperationResponse> RunAsync(string group, PlacementRequest request, ServerCallContext context)
    {
        var result = await controlPlane.RequestAsync(group, request, context.CancellationToken);
        return PlacementMapper.ToApi(result, timeProvider.GetUtcNow());
    }
}
