namespace AviOrleans.Testing.Lan;

/// <summary>When a fault was injected: <see cref="Started"/> is taken just before the first action (a signal, a
/// command), <see cref="Completed"/> just after the last. Failover times are counted from <see cref="Started"/>.</summary>
/// <param name="Started">Before the first action.</param>
/// <param name="Completed">After the last action.</param>
public readonly record struct FaultWindow(LanTime Started, LanTime Completed)
{
    /// <summary>How long injecting the fault took (e.g. the fork and exec of <c>ip</c> that takes a link down).</summary>
    public TimeSpan Duration => Completed - Started;
}
