namespace AviOrleans.Runtime;

/// <summary>Why an activation is deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>It was idle longer than its collection age.</summary>
    IdleCollection = 0,

    /// <summary>The grain asked for it with <see cref="Grain.DeactivateOnIdle"/>.</summary>
    Requested = 1,

    /// <summary>The silo is shutting down gracefully.</summary>
    SiloShutdown = 2,

    /// <summary>Membership changed and the grain now belongs on another silo.</summary>
    PlacementChanged = 3,

    /// <summary>A state write found a newer ETag: this activation's state is stale.</summary>
    InconsistentState = 4,
}
