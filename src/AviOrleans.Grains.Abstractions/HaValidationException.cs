namespace AviOrleans.Grains;

/// <summary>A configuration change broke one or more rules; nothing was changed (gRPC INVALID_ARGUMENT).</summary>
[GenerateSerializer, Alias("avi.HaValidationException")]
public sealed class HaValidationException : Exception
{
    /// <summary>Creates the exception for <paramref name="violations"/> (at least one).</summary>
    public HaValidationException(IReadOnlyList<HaViolation> violations)
        : base(Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>Creates the exception for one violation.</summary>
    public HaValidationException(string field, string message)
        : this([new HaViolation(field, message)])
    {
    }

    /// <summary>Creates the exception with a message and no field.</summary>
    public HaValidationException(string message)
        : this([new HaViolation(string.Empty, message)])
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public HaValidationException()
        : this("The configuration is invalid.")
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HaValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violations = [new HaViolation(string.Empty, message)];
    }

    /// <summary>Every violation, each with its field path.</summary>
    [Id(0)]
    public IReadOnlyList<HaViolation> Violations { get; private set; }

    private static string Describe(IReadOnlyList<HaViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentOutOfRangeException.ThrowIfZero(violations.Count);
        return string.Join("; ", violations.Select(v => v.Field.Length == 0 ? v.Message : v.Field + ": " + v.Message));
    }
}
