namespace AviOrleans.Runtime;

/// <summary>
/// An exception thrown by a grain on another silo whose type this process does not rebuild: it carries the
/// original type's full name and message. Well-known types (argument, invalid-operation, not-supported,
/// key-not-found, timeout, cancellation and the runtime's own exceptions) arrive as themselves.
/// </summary>
public sealed class GrainException : Exception
{
    /// <summary>Creates the exception for a remote exception of type <paramref name="originalTypeName"/>.</summary>
    public GrainException(string originalTypeName, string message) : base(message) => OriginalTypeName = originalTypeName;

    /// <summary>Creates the exception.</summary>
    public GrainException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GrainException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public GrainException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The full type name of the exception the grain threw.</summary>
    public string? OriginalTypeName { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{OriginalTypeName ?? nameof(GrainException)}: {Message}";
}
