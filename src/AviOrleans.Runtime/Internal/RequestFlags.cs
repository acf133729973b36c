namespace AviOrleans.Runtime.Internal;

/// <summary>Per-request flags on the wire.</summary>
[Flags]
internal enum RequestFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>
    /// The sending silo is shutting down and passed the call on: the receiver must not route it back there, even
    /// if its own view has not caught up yet (that would bounce the call between the two).
    /// </summary>
    SenderLeaving = 1,
}
