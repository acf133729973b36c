namespace AviOrleans.Domain;

/// <summary>
/// The pair state of a legacy active/standby group: which SE plays "SE 1" and "SE 2" for <c>active_standby_se_tag</c>,
/// and which SE currently owns each floating interface IP list (the SE active for that side).
/// </summary>
public sealed record LegacyPairState
{
    /// <summary>The SE that plays <c>ACTIVE_STANDBY_SE_1</c>, or null while the role is vacant.</summary>
    public string? Se1Ref { get; init; }

    /// <summary>The SE that plays <c>ACTIVE_STANDBY_SE_2</c>, or null while the role is vacant.</summary>
    public string? Se2Ref { get; init; }

    /// <summary>The owner of <c>floating_intf_ip</c>, or null when no SE is alive.</summary>
    public string? FloatingIntfIpOwner { get; init; }

    /// <summary>The owner of <c>floating_intf_ip_se_2</c>, or null when no SE is alive.</summary>
    public string? FloatingIntfIpSe2Owner { get; init; }

    /// <summary>The group's <c>floating_intf_ip</c> at the time of placement.</summary>
    public EquatableArray<string> FloatingIntfIp { get; init; }

    /// <summary>The group's <c>floating_intf_ip_se_2</c> at the time of placement.</summary>
    public EquatableArray<string> FloatingIntfIpSe2 { get; init; }
}
