namespace AviOrleans.Grains;

/// <summary>
/// An SE grain was called while no Active silo is named after the SE: its host is down, has not
/// joined, or is leaving. Nothing was sent to the host.
/// </summary>
[GenerateSerializer, Alias("avi.ServiceEngineUnavailableException")]
public sealed class ServiceEngineUnavailableException : Exception
{
    /// <summary>Creates the exception for the SE named <paramref name="seName"/>.</summary>
    public ServiceEngineUnavailableException(string seName, string message)
        : base(message)
    {
        SeName = seName;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ServiceEngineUnavailableException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ServiceEngineUnavailableException()
        : this(string.Empty, "No Active silo is named after the service engine.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ServiceEngineUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        SeName = string.Empty;
    }

    /// <summary>The SE whose silo is not Active.</summary>
    [Id(0)]
    public string SeName { get; private set; }
}
