using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>One virtual service's pool as one SE must check it.</summary>
/// <param name="VsRef">The virtual service.</param>
/// <param name="IsStandby">The SE holds the standby placement (it checks only because of <c>hm_on_standby</c>).</param>
/// <param name="IsPrimary">The SE is the virtual service's primary (its first passing check after becoming it completes a failover's timeline).</param>
/// <param name="PrimarySinceEpoch">The placement epoch at which it became primary (0 when it is not).</param>
/// <param name="Servers">The pool's servers.</param>
/// <param name="Monitors">The pool's health monitors (a server is up while all of them pass).</param>
[GenerateSerializer, Immutable, Alias("avi.PoolMonitoring")]
public sealed record PoolMonitoring(
    [property: Id(0)] string VsRef,
    [property: Id(1)] bool IsStandby,
    [property: Id(2)] bool IsPrimary,
    [property: Id(3)] long PrimarySinceEpoch,
    [property: Id(4)] EquatableArray<PoolServer> Servers,
    [property: Id(5)] EquatableArray<HealthMonitor> Monitors);
