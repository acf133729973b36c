namespace AviOrleans.Runtime.Membership;

/// <summary>The status of a silo in the membership table. Values are stored in the table: never renumber.</summary>
public enum SiloStatus
{
    /// <summary>No status: the silo is not in the table.</summary>
    None = 0,

    /// <summary>The silo process exists but has not yet written its row.</summary>
    Created = 1,

    /// <summary>The silo has written its row and is checking connectivity to the active silos.</summary>
    Joining = 2,

    /// <summary>The silo is a full member: it hosts activations and takes part in probing.</summary>
    Active = 3,

    /// <summary>The silo is stopping gracefully: it deactivates its grains and leaves.</summary>
    ShuttingDown = 4,

    /// <summary>The silo is stopping abruptly (its stop was cancelled): no graceful hand-off.</summary>
    Stopping = 5,

    /// <summary>The silo is dead. A dead identity never becomes active again; a restart is a new generation.</summary>
    Dead = 6,
}
