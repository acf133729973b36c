namespace AviOrleans.Grains;

/// <summary>A step of a rolling upgrade.</summary>
public enum UpgradeStepKind
{
    /// <summary>The upgrade began; the SE count is known.</summary>
    Started = 0,

    /// <summary>An SE was emptied (unless disruptive) and is being upgraded.</summary>
    SeStarted = 1,

    /// <summary>An SE runs the new version and takes placements again.</summary>
    SeDone = 2,

    /// <summary>An SE could not be emptied; it was left as it was.</summary>
    SeFailed = 3,

    /// <summary>Every SE runs the new version.</summary>
    Completed = 4,

    /// <summary>Stopped after a failed SE (suspend on error).</summary>
    Suspended = 5,
}
