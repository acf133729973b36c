namespace AviOrleans.Grains;

/// <summary>What applying an order did to one address.</summary>
/// <param name="Address">The address.</param>
/// <param name="Action">Added, removed, kept or failed.</param>
/// <param name="AddedAt">When the kernel confirmed the add; null when nothing was added (or in logging mode).</param>
/// <param name="AnnouncedAt">When the gratuitous ARP / unsolicited NA went out; null when none was sent.</param>
/// <param name="Error">Why it failed; null otherwise.</param>
[GenerateSerializer, Immutable, Alias("avi.AddressOutcome")]
public sealed record AddressOutcome(
    [property: Id(0)] string Address,
    [property: Id(1)] AddressAction Action,
    [property: Id(2)] DateTimeOffset? AddedAt,
    [property: Id(3)] DateTimeOffset? AnnouncedAt,
    [property: Id(4)] string? Error);
