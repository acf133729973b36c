namespace AviOrleans.Netlink;

/// <summary>What one address operation of a batch did.</summary>
public enum AddressOperationOutcome
{
    /// <summary>The address was added.</summary>
    Added = 1,

    /// <summary>Add: the address was already there (EEXIST); success for an idempotent call, nothing changed.</summary>
    AlreadyPresent = 2,

    /// <summary>Add-or-replace: the address is now there with the requested lifetimes (added or renewed in place).</summary>
    AddedOrReplaced = 3,

    /// <summary>The address was deleted.</summary>
    Deleted = 4,

    /// <summary>Delete: the address was not there (EADDRNOTAVAIL); success for an idempotent call.</summary>
    NotPresent = 5,

    /// <summary>The kernel refused the operation; see <see cref="AddressOperationResult.Error"/>.</summary>
    Failed = 6,
}
