namespace AviOrleans.Runtime.Storage;

/// <summary>
/// The store could not be reached or did not answer. Nothing can be assumed about an operation that
/// failed this way except that it did not corrupt anything: a conditional write either happened whole or not at all.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the store driver's exception.</summary>
    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
