namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>active_standby_se_tag</c> of a virtual service: with legacy HA and
/// <c>distribute_load_active_standby</c>, VSs with the same tag are active on the same SE of the pair.
/// </summary>
public enum ActiveStandbySeTag
{
    /// <summary><c>ACTIVE_STANDBY_SE_1</c>: active on the pair's first SE (the default).</summary>
    ActiveStandbySe1 = 0,

    /// <summary><c>ACTIVE_STANDBY_SE_2</c>: active on the pair's second SE.</summary>
    ActiveStandbySe2 = 1,
}
