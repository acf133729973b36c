namespace AviOrleans.Netlink.Agent;

/// <summary>The answer to <see cref="VipAgent.ApplyAsync"/>.</summary>
/// <param name="Outcome">Applied or rejected.</param>
/// <param name="LastAppliedEpoch">The epoch now in force for the virtual service (the order's when applied).</param>
/// <param name="Vips">The state of the virtual service's VIPs after the reconcile (empty when rejected or released).</param>
public sealed record VipOrderResult(VipOrderOutcome Outcome, long LastAppliedEpoch, IReadOnlyList<VipStatus> Vips);
