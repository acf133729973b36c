using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>Asks a group which order this silo's SE must apply now (<see cref="IServiceEngineGroupGrain.GetOrderAsync"/>).</summary>
internal sealed class GroupOrders(IGrainFactory grains, ILocalSiloDetails localSilo)
{
    public Task<OwnershipOrder?> CurrentAsync(string group) => grains.GetGrain<IServiceEngineGroupGrain>(group).GetOrderAsync(localSilo.Name);
}
