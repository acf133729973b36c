namespace AviOrleans.Grains.DataPlane;

/// <summary>Settings of <see cref="MembershipTakeoverGate"/>.</summary>
public sealed class TakeoverGateOptions
{
    /// <summary>
    /// How long after a dead SE's silo is seen Dead its addresses may be given to another SE: the
    /// time the dead SE has to notice it is no longer a member and withdraw its addresses itself.
    /// Default: 2 seconds.
    /// </summary>
    public TimeSpan FencingWindow { get; set; } = TimeSpan.FromSeconds(2);
}
