using System.Collections.Immutable;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.Monitoring.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grains;

/// <summary>
/// An SE's agent, pinned to the SE's own silo: applies ownership orders through the host's
/// <see cref="IVipOwnership"/> and reports what the host holds. On activation it asks its group
/// for the current order, since it may have missed orders while its silo was down. What it must monitor (gateways,
/// pools) goes to its silo's prober (<see cref="ServiceEngineMonitors"/>), which keeps running when the grain is idle.
/// </summary>
[SePinnedPlacement]
internal sealed class ServiceEngineGrain(
    IVipOwnership ownership,
    ServiceEngineMonitors monitors,
    TimeProvider time,
    ILocalSiloDetails silo,
    IOptions<AviGrainsOptions> options,
    IServiceProvider services,
    ILogger<ServiceEngineGrain> logger) : Grain, IServiceEngineGrain
{
    private ServiceEngineIncarnation Incarnation => new(silo.SiloAddress.ToParsableString(), options.Value.ServiceEngineVersion);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var seName = this.GetPrimaryKeyString();
        try
        {
            var group = await GrainFactory.GetGrain<IHaRegistryGrain>(HaRegistry.Key).FindServiceEngineGroupAsync(seName);
            if (group is not null && await GrainFactory.GetGrain<IServiceEngineGroupGrain>(group).GetOrderAsync(seName) is { } order)
            {
                await ownership.ApplyAsync(order, cancellationToken);
            }

            if (group is not null && await GrainFactory.GetGrain<IServiceEngineGroupGrain>(group).GetMonitoringAsync(seName) is { } monitoring)
            {
                monitors.Apply(monitoring);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The group pushes its orders again whenever it drives this SE; activation must not fail for it.
            GrainLog.CatchUpFailed(logger, seName, ex);
        }
    }

    public Task<OwnershipAck> ApplyAsync(OwnershipOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return ownership.ApplyAsync(order, CancellationToken.None);
    }

    public Task MonitorAsync(MonitoringAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        monitors.Apply(assignment);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<PoolMemberHealth>> GetPoolHealthAsync(string vsRef) => Task.FromResult(monitors.GetPoolHealth(vsRef));

    public Task<ServiceEngineReport> GetReportAsync() =>
        Task.FromResult(new ServiceEngineReport(
            this.GetPrimaryKeyString(),
            [.. ownership.Applied.Values.OrderBy(o => o.SeGroup, StringComparer.Ordinal)],
            Fenced: false,
            MovesAddresses: ownership is not LoggingVipOwnership,
            Healthy: true,
            CpuPercent: null,
            time.GetUtcNow(),
            silo.Name));

    public Task<ServiceEngineIncarnation> GetIncarnationAsync() => Task.FromResult(Incarnation);

    public Task<ServiceEngineIncarnation> RestartForUpgradeAsync(string targetVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetVersion);
        var restart = services.GetService<IServiceEngineRestart>()
            ?? throw new HaOperationRejectedException($"Service engine {this.GetPrimaryKeyString()} cannot restart itself: its silo runs without a supervisor that would start it again.");
        if (!restart.TryRestart(targetVersion))
        {
            throw new HaOperationRejectedException($"Service engine {this.GetPrimaryKeyString()} is already stopping.");
        }

        GrainLog.RestartingForUpgrade(logger, this.GetPrimaryKeyString(), options.Value.ServiceEngineVersion, targetVersion);
        return Task.FromResult(Incarnation);
    }
}
