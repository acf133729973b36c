using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>
/// What one SE must own for one group at one placement epoch: the group grain persists the
/// placement with <see cref="Epoch"/> first, then sends this order to the SE grain, which hands it to
/// the host's VIP ownership (HA-CONTRACT.md).
/// </summary>
/// <param name="SeGroup">The group whose addresses these are.</param>
/// <param name="Epoch">The group's placement epoch (persisted before the order is sent).</param>
/// <param name="Addresses">ALL the addresses this SE must own for this group at this epoch (empty: none).</param>
[GenerateSerializer, Immutable, Alias("avi.OwnershipOrder")]
public sealed record OwnershipOrder(
    [property: Id(0)] string SeGroup,
    [property: Id(1)] long Epoch,
    [property: Id(2)] ImmutableArray<OwnedAddress> Addresses);
