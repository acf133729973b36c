namespace AviOrleans.Grains;

/// <summary>The change could not be saved, so it was not made (gRPC UNAVAILABLE: retry later).</summary>
[GenerateSerializer, Alias("avi.HaStorageException")]
public sealed class HaStorageException : Exception
{
    /// <summary>Creates the exception with a message and a cause.</summary>
    public HaStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HaStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public HaStorageException()
        : this("The change could not be saved.")
    {
    }
}
