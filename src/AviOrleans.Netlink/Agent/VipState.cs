namespace AviOrleans.Netlink.Agent;

/// <summary>Where a desired VIP stands on the host.</summary>
public enum VipState
{
    /// <summary>Configured on its interface with the agent's mark.</summary>
    Owned = 1,

    /// <summary>Not configured: the last attempt failed (see <see cref="VipStatus.Error"/>); retried at the next reconcile.</summary>
    Pending = 2,

    /// <summary>Its interface does not exist; added as soon as the interface appears.</summary>
    InterfaceMissing = 3,

    /// <summary>The same address is configured on the interface without the agent's mark (by someone else): the agent
    /// leaves it alone and does not claim it.</summary>
    HeldByOther = 4,
}
