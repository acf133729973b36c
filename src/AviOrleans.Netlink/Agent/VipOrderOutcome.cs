namespace AviOrleans.Netlink.Agent;

/// <summary>What the agent did with an order.</summary>
public enum VipOrderOutcome
{
    /// <summary>The order is now the desired state of its virtual service and the host was reconciled to it.</summary>
    Applied = 1,

    /// <summary>The order's epoch is older than the last one applied for its virtual service (or not newer than the
    /// epoch in force when the agent was fenced): nothing changed.</summary>
    RejectedStaleEpoch = 2,
}
