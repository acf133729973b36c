namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>VsVip</c>: a VIP set that several virtual services share through <c>vsvip_ref</c> (e.g. port 80 and 443
/// on one address). VSs sharing a VsVip are always placed on the same SEs with the same primary (AS-35).
/// </summary>
public sealed record VsVip
{
    /// <summary><c>name</c>: unique name, used as <c>vsvip_ref</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>vip</c>: the VIPs.</summary>
    public EquatableArray<Vip> Vip { get; init; }
}
