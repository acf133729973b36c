namespace AviOrleans.Runtime;

/// <summary>The silo a call had to go to is not active, could not be reached, or died while the call was pending.</summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public SiloUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
