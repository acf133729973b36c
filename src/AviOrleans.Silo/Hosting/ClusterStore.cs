namespace AviOrleans.Silo.Hosting;

/// <summary>Where the cluster keeps its membership table, grain state and reminders (<c>--store</c>).</summary>
public enum ClusterStore
{
    /// <summary>
    /// Orleans' development set-up (<c>--store memory</c>): the membership table lives in the primary silo's
    /// memory, grain state and reminders in silo memory. Nothing survives the primary silo; for development
    /// and tests only.
    /// </summary>
    Memory = 0,
}
