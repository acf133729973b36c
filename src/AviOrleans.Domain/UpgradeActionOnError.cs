namespace AviOrleans.Domain;

/// <summary>Avi's <c>action_on_error</c> of an SE-group upgrade (<c>SeGroupOptions</c>).</summary>
public enum UpgradeActionOnError
{
    /// <summary><c>SUSPEND_UPGRADE_OPS_ON_ERROR</c>: leave the group's remaining SEs alone until resumed (the default).</summary>
    SuspendUpgradeOpsOnError = 0,

    /// <summary><c>CONTINUE_UPGRADE_OPS_ON_ERROR</c>: skip the failed SE and go on with the others.</summary>
    ContinueUpgradeOpsOnError = 1,
}
