using AviOrleans.Api.V1;
using AviOrleans.Domain;
using AviOrleans.Grains;
using AviOrleans.Grpc;
using Microsoft.Extensions.Hosting;

namespace AviOrleans.Gateway.Internal;

/// <summary>avi.v1.HaService: placement status, the placement watch, and HA operations.</summary>
internal sealed class HaHandlers(IHaControlPlane controlPlane, Pager pager, TimeProvider timeProvider, IHostApplicationLifetime lifetime)
{
    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.Create(HaReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("HaService"))
            .AddUnary<GetServiceEngineGroupStatusRequest, ServiceEngineGroupStatus>("GetServiceEngineGroupStatus", GetGroupStatusAsync)
            .AddUnary<GetVirtualServicePlacementRequest, VirtualServicePlacement>("GetVirtualServicePlacement", GetPlacementAsync)
            .AddUnary<ListVirtualServicePlacementsRequest, ListVirtualServicePlacementsResponse>("ListVirtualServicePlacements", ListPlacementsAsync)
            .AddServerStreaming<WatchPlacementsRequest, Api.V1.PlacementChange>("WatchPlacements", WatchAsync)
            .AddUnary<SwitchoverVirtualServiceRequest, HaOperationResponse>("SwitchoverVirtualService", SwitchoverVirtualServiceAsync, GrpcRole.Admin)
            .AddUnary<SwitchoverServiceEngineRequest, HaOperationResponse>("SwitchoverServiceEngine", SwitchoverServiceEngineAsync, GrpcRole.Admin)
            .AddUnary<RedistributeServiceEngineGroupRequest, HaOperationResponse>("RedistributeServiceEngineGroup", RedistributeAsync, GrpcRole.Admin)
            .AddUnary<MigrateVirtualServiceRequest, HaOperationResponse>("MigrateVirtualService", MigrateAsync, GrpcRole.Admin)
            .AddUnary<ScaleOutVirtualServiceRequest, HaOperationResponse>("ScaleOutVirtualService", ScaleOutAsync, GrpcRole.Admin)
            .AddUnary<ScaleInVirtualServiceRequest, HaOperationResponse>("ScaleInVirtualService", ScaleInAsync, GrpcRole.Admin)
            .AddServerStreaming<UpgradeServiceEngineGroupRequest, UpgradeProgress>("UpgradeServiceEngineGroup", UpgradeAsync, GrpcRole.Admin);

    private async Task<ServiceEngineGroupStatus> GetGroupStatusAsync(GetServiceEngineGroupStatusRequest request, ServerCallContext context) =>
        PlacementMapper.ToApi(await controlPlane.GetGroupPlacementAsync(Requests.Required(request.SeGroupRef, "se_group_ref"), context.CancellationToken));

    private async Task<VirtualServicePlacement> GetPlacementAsync(GetVirtualServicePlacementRequest request, ServerCallContext context) =>
        PlacementMapper.ToApi(await controlPlane.GetVirtualServicePlacementAsync(Requests.Required(request.VirtualServiceRef, "virtual_service_ref"), context.CancellationToken));

    private async Task<ListVirtualServicePlacementsResponse> ListPlacementsAsync(ListVirtualServicePlacementsRequest request, ServerCallContext context)
    {
        var group = Requests.Optional(request.SeGroupRef);
        var all = await controlPlane.ListVirtualServicePlacementsAsync(group, context.CancellationToken);
        var page = pager.Cut(all, p => p.Placement.VsRef, request.PageSize, request.PageToken, "placement", group ?? string.Empty);
        var response = new ListVirtualServicePlacementsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.Placements.AddRange(page.Items.Select(PlacementMapper.ToApi));
        return response;
    }

    private async Task WatchAsync(WatchPlacementsRequest request, IServerStreamWriter<Api.V1.PlacementChange> writer, ServerCallContext context)
    {
        var filter = new PlacementWatchFilter(Requests.Optional(request.SeGroupRef), Requests.Optional(request.VirtualServiceRef));

        // A resume point beyond what a long holds cannot be one of ours: start from a snapshot.
        var resume = request.ResumeAfterSequence > long.MaxValue ? long.MaxValue : (long)request.ResumeAfterSequence;

        // A watch never ends on its own: end it when the gateway stops, or the host would wait out
        // its whole shutdown timeout for it.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var change in controlPlane.WatchPlacementsAsync(filter, resume, call.Token))
            {
                await writer.WriteAsync(PlacementMapper.ToApi(change), call.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(StatusCode.Unavailable, "The gateway is shutting down; reconnect with resume_after_sequence set to the last sequence received.");
        }
    }

    private Task<HaOperationResponse> SwitchoverVirtualServiceAsync(SwitchoverVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new VsSwitchoverRequest { VsRef = vsRef, VipId = Requests.Optional(request.VipId) }, context);

    private async Task<HaOperationResponse> SwitchoverServiceEngineAsync(SwitchoverServiceEngineRequest request, ServerCallContext context)
    {
        var se = await controlPlane.GetServiceEngineAsync(Requests.Required(request.SeRef, "se_ref"), context.CancellationToken);
        return await RunAsync(se.SeGroupRef, new SeSwitchoverRequest { SeRef = se.Name }, context);
    }

    private Task<HaOperationResponse> RedistributeAsync(RedistributeServiceEngineGroupRequest request, ServerCallContext context) =>
        RunAsync(Requests.Required(request.SeGroupRef, "se_group_ref"), new RedistributeRequest(), context);

    private Task<HaOperationResponse> MigrateAsync(MigrateVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new MigrateRequest
        {
            VsRef = vsRef,
            VipId = Requests.Optional(request.VipId),
            FromSeRef = Requests.Optional(request.FromSeRef),
            ToSeRef = Requests.Optional(request.ToSeRef),
        }, context);

    private Task<HaOperationResponse> ScaleOutAsync(ScaleOutVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new ScaleOutRequest { VsRef = vsRef, VipId = Requests.Optional(request.VipId), ToSeRef = Requests.Optional(request.ToSeRef) }, context);

    private Task<HaOperationResponse> ScaleInAsync(ScaleInVirtualServiceRequest request, ServerCallContext context) =>
        RunOnVirtualServiceAsync(request.VirtualServiceRef, vsRef => new ScaleInRequest
        {
            VsRef = vsRef,
            VipId = Requests.Optional(request.VipId),
            FromSeRef = Requests.Optional(request.FromSeRef),
            ScaleinPrimary = request.ScaleinPrimary,
        }, context);

    private async Task UpgradeAsync(UpgradeServiceEngineGroupRequest request, IServerStreamWriter<UpgradeProgress> writer, ServerCallContext context)
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
        // Stopping the gateway stops the upgrade between steps (an SE caught mid-upgrade comes back up).
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        await foreach (var step in controlPlane.UpgradeServiceEngineGroupAsync(group, options, call.Token))
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
            await writer.WriteAsync(progress, call.Token);
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
