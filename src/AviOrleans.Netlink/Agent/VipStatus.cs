namespace AviOrleans.Netlink.Agent;

/// <summary>One desired VIP and where it stands.</summary>
/// <param name="VirtualServiceId">The virtual service that wants it.</param>
/// <param name="Epoch">The epoch of the order in force.</param>
/// <param name="Binding">The VIP and its interface.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Error">Why it is not owned, when it is not.</param>
public sealed record VipStatus(string VirtualServiceId, long Epoch, VipBinding Binding, VipState State, string? Error);
