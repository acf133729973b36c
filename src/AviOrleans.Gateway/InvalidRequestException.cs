namespace AviOrleans.Gateway;

/// <summary>
/// A request the gateway refuses before it reaches the control plane (bad page token, bad field
/// mask, missing name). Maps to INVALID_ARGUMENT with one BadRequest field violation per problem.
/// </summary>
public sealed class InvalidRequestException : Exception
{
    /// <summary>Creates the exception for the given violations (at least one).</summary>
    public InvalidRequestException(IReadOnlyList<FieldViolation> violations)
        : base(Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>Creates the exception for one violation.</summary>
    public InvalidRequestException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }

    /// <summary>Creates the exception with no field (prefer the other constructors).</summary>
    public InvalidRequestException()
        : this("request", "The request is invalid.")
    {
    }

    /// <summary>Creates the exception for a message not tied to one field.</summary>
    public InvalidRequestException(string message)
        : this("request", message)
    {
    }

    /// <summary>Creates the exception for a message not tied to one field.</summary>
    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violations = [new FieldViolation("request", message)];
    }

    /// <summary>Every problem found, each with its field path.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    private static string Describe(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentOutOfRangeException.ThrowIfZero(violations.Count);
        return string.Join("; ", violations.Select(v => v.Field + ": " + v.Description));
    }
}
