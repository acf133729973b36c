namespace AviOrleans.Domain;

/// <summary>Options of a rolling upgrade of one group (Avi's <c>SeUpgradeParams</c> / <c>SeGroupOptions</c>, §1.8).</summary>
public sealed record SeUpgradeParams
{
    /// <summary>The version every SE of the group should end up running.</summary>
    public required string TargetVersion { get; init; }

    /// <summary><c>disruptive</c>: upgrade SEs without moving their VSs away first (faster). Default: false.</summary>
    public bool Disruptive { get; init; }

    /// <summary><c>action_on_error</c>. Default: <see cref="UpgradeActionOnError.SuspendUpgradeOpsOnError"/>.</summary>
    public UpgradeActionOnError ActionOnError { get; init; }
}
