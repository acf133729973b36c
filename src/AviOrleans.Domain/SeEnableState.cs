namespace AviOrleans.Domain;

/// <summary>Avi's <c>enable_state</c> of a service engine (administrative state).</summary>
public enum SeEnableState
{
    /// <summary><c>SE_STATE_ENABLED</c>: serves and receives new placements (the default).</summary>
    Enabled = 0,

    /// <summary><c>SE_STATE_DISABLED_FOR_PLACEMENT</c>: keeps serving its VSs but receives no new ones.</summary>
    DisabledForPlacement = 1,

    /// <summary><c>SE_STATE_DISABLED</c>: receives no new VSs and its VSs migrate away gracefully (with a drain).</summary>
    Disabled = 2,

    /// <summary><c>SE_STATE_DISABLED_FORCE</c>: its VSs are removed at once, without a drain (undocumented in Avi; AviOrleans' reading).</summary>
    DisabledForce = 3,
}
