namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// One per silo process: the addresses this host owns, by group. Applying an order replaces the
/// group's set (HA-CONTRACT.md).
/// </summary>
public interface IVipOwnership
{
    /// <summary>
    /// Applies the order if its epoch is &gt;= the last applied for that group (equal: idempotent
    /// re-apply); refuses older epochs, and adds on a host fenced for good
    /// (<see cref="OwnershipAck.Applied"/> = false with the reason). While the host is fenced otherwise the order is
    /// recorded, nothing is added, and it is applied when the fence lifts.
    /// </summary>
    Task<OwnershipAck> ApplyAsync(OwnershipOrder order, CancellationToken cancellationToken);

    /// <summary>What the host holds now, by group (for reports, the API and reconciliation).</summary>
    IReadOnlyDictionary<string, OwnershipOrder> Applied { get; }
}
