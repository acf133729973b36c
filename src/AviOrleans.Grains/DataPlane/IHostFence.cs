namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The host's self-fence: whether this silo may own addresses now. A silo is fenced until its first lease renewal,
/// and again whenever it has had no evidence of being a live member for the fencing window; while fenced it owns no
/// address and refuses to add any. For reports (the SE grain, the API).
/// </summary>
public interface IHostFence
{
    /// <summary>The current state.</summary>
    HostFenceState State { get; }

    /// <summary>Raised after every change of <see cref="HostFenceState.IsFenced"/>, on the fence's own thread: handlers must not block.</summary>
    event Action<HostFenceState>? Changed;
}
