namespace AviOrleans.Domain;

/// <summary>One address and the SE that must configure (and announce) it.</summary>
/// <param name="Address">The address, as configured.</param>
/// <param name="SeRef">The owning SE.</param>
/// <param name="Kind">What the address is.</param>
/// <param name="VsRef">The virtual service it belongs to (null for floating interface IPs).</param>
/// <param name="Epoch">The epoch of the placement that gives the ownership.</param>
public sealed record AddressOwner(string Address, string SeRef, AddressKind Kind, string? VsRef, long Epoch);
