namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>How a grain type is placed.</summary>
public enum GrainPlacementKind
{
    /// <summary>Rendezvous hash of the grain id over the active silos.</summary>
    Hash = 0,

    /// <summary>On the silo named by the key (see <see cref="PinnedPlacementAttribute"/>).</summary>
    Pinned = 1,
}
