namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>ha_mode</c> of a service-engine group: the HA mode of every virtual service placed in it.
/// Wire names: <see cref="AviNames.ToAviName(HaMode)"/>.
/// </summary>
public enum HaMode
{
    /// <summary><c>HA_MODE_SHARED</c>: elastic N+M; one placement per VS and <c>buffer_se</c> SEs' worth of spare slots (the default).</summary>
    Shared = 0,

    /// <summary><c>HA_MODE_SHARED_PAIR</c>: elastic active/active; each VS on at least two SEs, all carrying traffic.</summary>
    SharedPair = 1,

    /// <summary><c>HA_MODE_LEGACY_ACTIVE_STANDBY</c>: legacy 1+1; exactly two SEs, each VS active on one and standby on the other.</summary>
    LegacyActiveStandby = 2,
}
