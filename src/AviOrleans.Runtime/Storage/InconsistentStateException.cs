namespace AviOrleans.Runtime.Storage;

/// <summary>
/// A write presented an ETag that is not the stored one: another activation wrote in between. The runtime
/// deactivates the activation that gets this, so a stale duplicate cannot overwrite newer state.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception for a grain whose stored ETag differs from the one presented.</summary>
    public InconsistentStateException(string grainType, string grainKey, string? expectedETag, string? storedETag)
        : base($"Version conflict on {grainType}/{grainKey}: the write presented ETag '{expectedETag ?? "<none>"}' but the store has '{storedETag ?? "<none>"}'.")
    {
        GrainType = grainType;
        GrainKey = grainKey;
        ExpectedETag = expectedETag;
        StoredETag = storedETag;
    }

    /// <summary>Creates the exception with a message.</summary>
    public InconsistentStateException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public InconsistentStateException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException() { }

    /// <summary>The grain type name.</summary>
    public string? GrainType { get; }

    /// <summary>The grain key.</summary>
    public string? GrainKey { get; }

    /// <summary>The ETag the write presented.</summary>
    public string? ExpectedETag { get; }

    /// <summary>The ETag the store holds, when known.</summary>
    public string? StoredETag { get; }
}
