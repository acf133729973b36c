using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// What one SE must monitor for one group, from the group's committed placement: the group's gateways (legacy HA) and
/// the pools of the virtual services it serves, or stands by for when the group's <c>hm_on_standby</c> is on. The
/// group sends it to the SE grain, which hands it to its silo's prober; sent again whenever it changes.
/// </summary>
/// <param name="SeGroup">The group.</param>
/// <param name="Epoch">The placement epoch it was computed from.</param>
/// <param name="GatewayMonitors">The group's <c>gateway_mon</c> (empty outside legacy HA).</param>
/// <param name="Pools">The pools this SE checks, by virtual service name.</param>
[GenerateSerializer, Immutable, Alias("avi.MonitoringAssignment")]
public sealed record MonitoringAssignment(
    [property: Id(0)] string SeGroup,
    [property: Id(1)] long Epoch,
    [property: Id(2)] EquatableArray<GatewayMonitor> GatewayMonitors,
    [property: Id(3)] ImmutableArray<PoolMonitoring> Pools)
{
    /// <summary>True when <paramref name="other"/> asks for the same monitoring (the epoch aside).</summary>
    public bool SameWorkAs(MonitoringAssignment? other) =>
        other is not null
        && string.Equals(SeGroup, other.SeGroup, StringComparison.Ordinal)
        && GatewayMonitors.Equals(other.GatewayMonitors)
        && Pools.SequenceEqual(other.Pools);
}
