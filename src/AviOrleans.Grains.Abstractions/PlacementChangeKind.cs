namespace AviOrleans.Grains;

/// <summary>What a <see cref="PlacementChange"/> says.</summary>
[GenerateSerializer, Alias("avi.PlacementChangeKind")]
public enum PlacementChangeKind
{
    /// <summary>The current state of one virtual service (part of a snapshot).</summary>
    Snapshot = 0,

    /// <summary>End of the snapshot or replay: the watch is live from here.</summary>
    Synced = 1,

    /// <summary>A virtual service's placement changed, or it was created.</summary>
    Updated = 2,

    /// <summary>A virtual service was deleted (or left the watched group).</summary>
    Removed = 3,
}
