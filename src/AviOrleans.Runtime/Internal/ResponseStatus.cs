namespace AviOrleans.Runtime.Internal;

/// <summary>How a call ended.</summary>
internal enum ResponseStatus : byte
{
    /// <summary>The body is the result.</summary>
    Ok = 0,

    /// <summary>The body is an exception.</summary>
    Exception = 1,
}
