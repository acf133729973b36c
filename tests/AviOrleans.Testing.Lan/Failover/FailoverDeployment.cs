using System.Net;

namespace AviOrleans.Testing.Lan.Failover;

/// <summary>What a system under test is asked to run: <see cref="Vip"/> served by <see cref="Active"/>, with
/// <see cref="Standby"/> ready to take it over.</summary>
/// <param name="Active">The host that must own the VIP when the fault hits.</param>
/// <param name="Standby">The host that must take it over (the survivor).</param>
/// <param name="Vip">The VIP.</param>
public sealed record FailoverDeployment(LanHost Active, LanHost Standby, IPAddress Vip);
