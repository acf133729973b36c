namespace AviOrleans.Grains;

/// <summary>How a rolling upgrade runs (Avi's SeUpgradeParams / SeGroupOptions).</summary>
public sealed record UpgradeOptions
{
    /// <summary>The version every SE is to run (required).</summary>
    public required string Version { get; init; }

    /// <summary>
    /// Avi's <c>disruptive</c>: upgrade an SE without first moving its virtual services away.
    /// Default: false.
    /// </summary>
    public bool Disruptive { get; init; }

    /// <summary>
    /// Avi's <c>action_on_error</c>: true for <c>SUSPEND_UPGRADE_OPS_ON_ERROR</c> (stop at the first
    /// SE that cannot be upgraded, the default), false for <c>CONTINUE_UPGRADE_OPS_ON_ERROR</c>.
    /// </summary>
    public bool SuspendOnError { get; init; } = true;
}
