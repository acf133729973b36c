using System.Collections.Immutable;
using AviOrleans.Grains.DataPlane;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains;

/// <summary>
/// An SE's agent, pinned to the SE's own silo: applies ownership orders through the host's
/// <see cref="IVipOwnership"/> and reports what the host holds. On activation it asks its group
/// for the current order, since it may have missed orders while its silo was down.
/// </summary>
[SePinnedPlacement]
internal sealed class ServiceEngineGrain(
    IVipOwnership ownership,
    TimeProvider time,
    ILocalSiloDetails silo,
    ILogger<ServiceEngineGrain> logger) : Grain, IServiceEngineGrain
{
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
}
