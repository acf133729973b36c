namespace AviOrleans.Grains;

/// <summary>
/// The object changed between the caller's read and its update (gRPC ABORTED): read it again and
/// retry the read-modify-write.
/// </summary>
[GenerateSerializer, Alias("avi.HaConflictException")]
public sealed class HaConflictException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public HaConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public HaConflictException()
        : this("The object was changed concurrently; read it again and retry.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HaConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
