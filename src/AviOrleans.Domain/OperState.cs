namespace AviOrleans.Domain;

/// <summary>Avi's <c>OperationalStatus.state</c>, used for service engines and virtual services.</summary>
public enum OperState
{
    /// <summary><c>OPER_UP</c>: serving.</summary>
    Up = 0,

    /// <summary><c>OPER_DOWN</c>: an SE declared dead, or a VS with no live SE.</summary>
    Down = 1,

    /// <summary><c>OPER_CREATING</c>: an SE being brought up.</summary>
    Creating = 2,

    /// <summary><c>OPER_RESOURCES</c>: a VS that cannot be placed for lack of SE capacity (AviOrleans' reading).</summary>
    Resources = 3,

    /// <summary><c>OPER_INACTIVE</c>.</summary>
    Inactive = 4,

    /// <summary><c>OPER_DISABLED</c>: a disabled VS, or an SE whose migration after disable has finished.</summary>
    Disabled = 5,

    /// <summary><c>OPER_UNUSED</c>.</summary>
    Unused = 6,

    /// <summary><c>OPER_UNKNOWN</c>.</summary>
    Unknown = 7,

    /// <summary><c>OPER_PROCESSING</c>.</summary>
    Processing = 8,

    /// <summary><c>OPER_INITIALIZING</c>.</summary>
    Initializing = 9,

    /// <summary><c>OPER_ERROR_DISABLED</c>: an SE of which at least one VS could not migrate after disable.</summary>
    ErrorDisabled = 10,

    /// <summary><c>OPER_AWAIT_MANUAL_PLACEMENT</c>.</summary>
    AwaitManualPlacement = 11,

    /// <summary><c>OPER_UPGRADING</c>: an SE being upgraded (takes no new placements).</summary>
    Upgrading = 12,

    /// <summary><c>OPER_SE_PROCESSING</c>.</summary>
    SeProcessing = 13,

    /// <summary><c>OPER_PARTITIONED</c>: an SE on a failed host that still had operational VSs.</summary>
    Partitioned = 14,

    /// <summary><c>OPER_DISABLING</c>: an SE whose VSs are migrating away after disable.</summary>
    Disabling = 15,

    /// <summary><c>OPER_FAILED</c>.</summary>
    Failed = 16,

    /// <summary><c>OPER_UNAVAIL</c>.</summary>
    Unavail = 17,

    /// <summary><c>OPER_AGGREGATE_DOWN</c>.</summary>
    AggregateDown = 18,
}
