namespace AviOrleans.Grains;

/// <summary>One address an SE must own.</summary>
/// <param name="Address">An IPv4 or IPv6 literal.</param>
/// <param name="PrefixLength">/32 or /128 for VIPs unless the subnet says otherwise.</param>
/// <param name="Kind">A VIP, a SNAT IP or a floating interface IP.</param>
/// <param name="Owner">The VS name (or the group name for floating interface IPs).</param>
[GenerateSerializer, Immutable, Alias("avi.OwnedAddress")]
public sealed record OwnedAddress(
    [property: Id(0)] string Address,
    [property: Id(1)] int PrefixLength,
    [property: Id(2)] OwnedAddressKind Kind,
    [property: Id(3)] string Owner);
