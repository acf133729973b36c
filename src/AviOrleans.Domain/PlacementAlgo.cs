namespace AviOrleans.Domain;

/// <summary>Avi's <c>algo</c>: how new placements are spread over a group's SEs.</summary>
public enum PlacementAlgo
{
    /// <summary><c>PLACEMENT_ALGO_PACKED</c>: use as few SEs as the HA rules allow (the API default in every mode).</summary>
    Packed = 0,

    /// <summary><c>PLACEMENT_ALGO_DISTRIBUTED</c>: prefer SEs without placements, then the least-loaded SE.</summary>
    Distributed = 1,
}
