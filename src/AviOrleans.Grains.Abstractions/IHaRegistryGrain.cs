using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>
/// The cluster's index of rarely changing names (key: <see cref="HaRegistry.Key"/>): the groups, the
/// shared VIP sets, and which group each SE belongs to (SE names are unique across groups, since an
/// SE is a silo). Virtual services are indexed by their groups, so creating one never touches it.
/// Entries are added before the object is created and removed after it is deleted, so a listing
/// may name an object that is not there (readers skip those), never miss one that is.
/// </summary>
[Alias("avi.IHaRegistryGrain")]
public interface IHaRegistryGrain : IGrainWithStringKey
{
    /// <summary>Adds a group name (idempotent).</summary>
    [Alias("AddGroup")]
    Task AddGroupAsync(string name);

    /// <summary>Removes a group name (idempotent).</summary>
    [Alias("RemoveGroup")]
    Task RemoveGroupAsync(string name);

    /// <summary>Every group name, ordered (ordinal).</summary>
    [Alias("ListGroups")]
    Task<ImmutableArray<string>> ListGroupsAsync();

    /// <summary>Records that SE <paramref name="seName"/> belongs to <paramref name="group"/>; fails when it belongs to another.</summary>
    /// <exception cref="HaObjectExistsException">The SE name is another group's.</exception>
    [Alias("ClaimServiceEngine")]
    Task ClaimServiceEngineAsync(string seName, string group);

    /// <summary>Forgets SE <paramref name="seName"/> if it belongs to <paramref name="group"/>.</summary>
    [Alias("ReleaseServiceEngine")]
    Task ReleaseServiceEngineAsync(string seName, string group);

    /// <summary>The group of SE <paramref name="seName"/>, or null.</summary>
    [Alias("FindServiceEngineGroup")]
    Task<string?> FindServiceEngineGroupAsync(string seName);

    /// <summary>Adds a shared VIP set name (idempotent).</summary>
    [Alias("AddVsVip")]
    Task AddVsVipAsync(string name);

    /// <summary>Removes a shared VIP set name (idempotent).</summary>
    [Alias("RemoveVsVip")]
    Task RemoveVsVipAsync(string name);

    /// <summary>Every shared VIP set name, ordered (ordinal).</summary>
    [Alias("ListVsVips")]
    Task<ImmutableArray<string>> ListVsVipsAsync();
}
