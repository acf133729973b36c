using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>
/// One placement change of a virtual service, and for a change of its primary SE the failover's
/// timeline: every step that could be observed, with the time it happened. Steps not (yet) seen
/// are null.
/// </summary>
/// <param name="VsRef">The virtual service.</param>
/// <param name="SeGroupRef">Its group.</param>
/// <param name="Epoch">The group epoch of the decision.</param>
/// <param name="Cause">What caused the change, as Avi's event name (e.g. <c>VS_SE_FAILOVER</c>, <c>VS_SWITCHOVER</c>).</param>
/// <param name="Description">The engine's explanation.</param>
/// <param name="FromSeRef">The primary before, if any.</param>
/// <param name="ToSeRef">The primary after, if any.</param>
/// <param name="SeList">The SEs after the change.</param>
/// <param name="SuspectedAt">When the old primary was first suspected (datapath heartbeats), if it was.</param>
/// <param name="DeclaredDeadAt">When the old primary was declared dead (membership), if it was.</param>
/// <param name="DecidedAt">When the group decided and persisted the new placement.</param>
/// <param name="VipAddedAt">When the new primary's kernel confirmed the VIP.</param>
/// <param name="AnnouncedAt">When the new primary sent gratuitous ARP / unsolicited NA.</param>
/// <param name="FirstHealthCheckAt">When the new primary's first health check passed.</param>
[GenerateSerializer, Immutable, Alias("avi.PlacementRecord")]
public sealed record PlacementRecord(
    [property: Id(0)] string VsRef,
    [property: Id(1)] string SeGroupRef,
    [property: Id(2)] long Epoch,
    [property: Id(3)] string Cause,
    [property: Id(4)] string Description,
    [property: Id(5)] string? FromSeRef,
    [property: Id(6)] string? ToSeRef,
    [property: Id(7)] ImmutableArray<string> SeList,
    [property: Id(8)] DateTimeOffset? SuspectedAt,
    [property: Id(9)] DateTimeOffset? DeclaredDeadAt,
    [property: Id(10)] DateTimeOffset DecidedAt,
    [property: Id(11)] DateTimeOffset? VipAddedAt,
    [property: Id(12)] DateTimeOffset? AnnouncedAt,
    [property: Id(13)] DateTimeOffset? FirstHealthCheckAt)
{
    /// <summary>True when the primary SE changed (a failover, switchover or migration).</summary>
    public bool IsFailover => FromSeRef is not null && ToSeRef is not null && !string.Equals(FromSeRef, ToSeRef, StringComparison.Ordinal);
}
