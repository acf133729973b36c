namespace AviOrleans.Domain;

/// <summary>What the next step of a rolling upgrade is.</summary>
public enum UpgradeStepKind
{
    /// <summary>Every live SE of the group runs the target version.</summary>
    Done = 0,

    /// <summary>An SE is upgrading or its VSs are still draining away: ask again later.</summary>
    Wait = 1,

    /// <summary>An SE failed its upgrade and <c>action_on_error</c> suspends the group.</summary>
    Suspended = 2,

    /// <summary>Set the SE to <c>SE_STATE_DISABLED</c>: the placement engine migrates its VSs away with a drain.</summary>
    DisableForMigration = 3,

    /// <summary>The SE carries nothing that would be disrupted (or the upgrade is disruptive): upgrade it now.</summary>
    StartUpgrade = 4,

    /// <summary>Legacy HA: switch every VS active on the SE to its (upgraded) peer first (<see cref="SeSwitchoverRequest"/>).</summary>
    SwitchoverSe = 5,

    /// <summary>The SE was upgraded while disabled for migration: set it back to <c>SE_STATE_ENABLED</c>.</summary>
    Enable = 6,
}
