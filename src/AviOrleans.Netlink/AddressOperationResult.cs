namespace AviOrleans.Netlink;

/// <summary>The result of one address operation in a batch.</summary>
/// <param name="Request">The request it answers.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Error">The typed error when <paramref name="Outcome"/> is <see cref="AddressOperationOutcome.Failed"/>.</param>
public sealed record AddressOperationResult(AddressRequest Request, AddressOperationOutcome Outcome, NetlinkException? Error)
{
    /// <summary>True unless the kernel refused the operation.</summary>
    public bool Succeeded => Outcome != AddressOperationOutcome.Failed;

    /// <summary>Throws <see cref="Error"/> when the operation failed.</summary>
    public void EnsureSuccess()
    {
        if (Error is not null)
        {
            throw Error;
        }
    }
}
