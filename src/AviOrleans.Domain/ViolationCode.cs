namespace AviOrleans.Domain;

/// <summary>The kind of a <see cref="FieldViolation"/> (stable; a gateway may map it to an error reason).</summary>
public enum ViolationCode
{
    /// <summary>A required field is missing or empty.</summary>
    Required = 0,

    /// <summary>A number is outside its allowed range.</summary>
    OutOfRange = 1,

    /// <summary>An enum value that is not one of the allowed names (e.g. <c>HA_MODE_FOO</c>).</summary>
    InvalidEnum = 2,

    /// <summary>A value that is not a valid IP address (of the expected family).</summary>
    InvalidAddress = 3,

    /// <summary>A name or address used twice.</summary>
    Duplicate = 4,

    /// <summary>A reference to an object that does not exist.</summary>
    UnknownReference = 5,

    /// <summary>Fields or objects that contradict each other (min above max, a third SE in a legacy pair, ...).</summary>
    Conflict = 6,

    /// <summary>A value or change the group's mode or the current state does not allow.</summary>
    NotAllowed = 7,

    /// <summary>A field the object does not have (a typo in a file or request).</summary>
    UnknownField = 8,

    /// <summary>Input that cannot be read at all (malformed JSON, wrong type).</summary>
    Malformed = 9,
}
