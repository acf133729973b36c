using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>The host's answer to an <see cref="OwnershipOrder"/>.</summary>
/// <param name="SeGroup">The order's group.</param>
/// <param name="Epoch">The order's epoch.</param>
/// <param name="Applied">False: refused (an older epoch than the one applied, or the host is fenced for good). An
/// order accepted while the host is fenced is applied when the fence lifts; until then its addresses are Failed.</param>
/// <param name="RefusedReason">Why it was refused, for people; null when applied.</param>
/// <param name="Outcomes">What happened to each address.</param>
[GenerateSerializer, Immutable, Alias("avi.OwnershipAck")]
public sealed record OwnershipAck(
    [property: Id(0)] string SeGroup,
    [property: Id(1)] long Epoch,
    [property: Id(2)] bool Applied,
    [property: Id(3)] string? RefusedReason,
    [property: Id(4)] ImmutableArray<AddressOutcome> Outcomes);
