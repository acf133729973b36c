namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The takeover gate could not establish that a dead SE has withdrawn its addresses, because the membership table or
/// the lease store cannot be read: nothing may move (try again later).
/// </summary>
public sealed class TakeoverGateUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TakeoverGateUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TakeoverGateUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TakeoverGateUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
