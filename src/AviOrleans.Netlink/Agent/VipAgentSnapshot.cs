namespace AviOrleans.Netlink.Agent;

/// <summary>The agent's view after its last reconcile: desired VIPs with their state, and the marked addresses on the host.</summary>
/// <param name="Vips">Every desired VIP and where it stands.</param>
/// <param name="OwnedAddresses">The addresses on the host that carry the agent's mark.</param>
/// <param name="Fenced">True after <see cref="VipAgent.FenceAsync"/> until the next applied order.</param>
/// <param name="ReconciledAt">When the last reconcile finished (agent's TimeProvider), or null before the first.</param>
public sealed record VipAgentSnapshot(IReadOnlyList<VipStatus> Vips, IReadOnlyList<InterfaceAddress> OwnedAddresses, bool Fenced, DateTimeOffset? ReconciledAt);
