namespace AviOrleans.Persistence;

/// <summary>
/// The store could not be reached or did not answer in time: the server is down or its port closed, the
/// connection broke, the SQLite file is locked by another process past the busy timeout, the disk is full.
/// A later call may succeed. Nothing can be assumed about an operation that failed this way except that it did
/// not corrupt anything: a conditional write happened whole or not at all.
/// </summary>
public sealed class StoreUnavailableException : StoreException
{
    /// <summary>Creates the exception with a message.</summary>
    public StoreUnavailableException(string message)
        : base(message, null)
    {
    }

    /// <summary>Creates the exception with a message and the driver's exception.</summary>
    public StoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
