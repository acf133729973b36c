namespace AviOrleans.Runtime;

/// <summary>
/// A grain call got no response within the response timeout. The outcome is unknown: the call may or may
/// not have run (delivery is at most once; the runtime never resends).
/// </summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public GrainCallTimeoutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GrainCallTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public GrainCallTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
