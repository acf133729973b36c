using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// A virtual service (key: its name): its configuration as committed by its group, and its
/// placement history with the failover timelines. Creating, changing and deleting a virtual
/// service goes through it (its name is unique because its grain is); its group decides and
/// places.
/// </summary>
[Alias("avi.IVirtualServiceGrain")]
public interface IVirtualServiceGrain : IAddressUserGrain
{
    /// <summary>Creates the virtual service in its group (placed at once, or reported unplaced).</summary>
    [Alias("Create")]
    Task<VirtualService> CreateAsync(VirtualService virtualService, bool validateOnly);

    /// <summary>The configuration.</summary>
    /// <exception cref="HaObjectNotFoundException">It does not exist.</exception>
    [Alias("Get")]
    Task<VirtualService> GetAsync();

    /// <summary>Replaces the configuration if it still equals <paramref name="expected"/>.</summary>
    [Alias("Update")]
    Task<VirtualService> UpdateAsync(VirtualService expected, VirtualService updated, bool validateOnly);

    /// <summary>Deletes it and its placement.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>The group's record of a placement change or a failover step (older epochs than recorded are ignored).</summary>
    [Alias("Record")]
    Task RecordAsync(PlacementRecord record);

    /// <summary>The placement history, newest last, with each failover's timeline.</summary>
    [Alias("GetHistory")]
    Task<ImmutableArray<PlacementRecord>> GetHistoryAsync();
}
