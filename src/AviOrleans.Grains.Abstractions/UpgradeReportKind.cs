namespace AviOrleans.Grains;

/// <summary>What an <see cref="UpgradeReport"/> tells.</summary>
[GenerateSerializer, Alias("avi.UpgradeReportKind")]
public enum UpgradeReportKind
{
    /// <summary>The upgrade began; the SE count is known.</summary>
    Started = 0,

    /// <summary>An SE was emptied (unless disruptive) and is being upgraded.</summary>
    SeStarted = 1,

    /// <summary>An SE runs the new version and takes placements again.</summary>
    SeDone = 2,

    /// <summary>An SE could not be upgraded, or the upgrade cannot make progress.</summary>
    SeFailed = 3,

    /// <summary>Every live SE runs the new version.</summary>
    Completed = 4,

    /// <summary>Stopped after a failed SE (<c>SUSPEND_UPGRADE_OPS_ON_ERROR</c>).</summary>
    Suspended = 5,

    /// <summary>A step that moves virtual services before an SE's upgrade (switchover, disable for migration).</summary>
    Preparing = 6,
}
