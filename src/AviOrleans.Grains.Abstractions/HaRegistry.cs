namespace AviOrleans.Grains;

/// <summary>Well-known keys of the cluster's singleton grains.</summary>
public static class HaRegistry
{
    /// <summary>The key of the one <see cref="IHaRegistryGrain"/> and the one <see cref="IPlacementFeedGrain"/>.</summary>
    public const string Key = "cluster";

    /// <summary>The name of the grain storage provider the HA grains use; the silo decides what backs it.</summary>
    public const string StorageName = "ha";
}
