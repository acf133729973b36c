namespace AviOrleans.Domain;

/// <summary>A configuration was refused; it carries every violation found. Nothing was changed.</summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>Creates the exception from its violations.</summary>
    public InvalidConfigurationException(IReadOnlyList<FieldViolation> violations)
        : base(Format(violations)) => Violations = violations;

    /// <summary>Creates the exception with a message only.</summary>
    public InvalidConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InvalidConfigurationException(string message)
        : base(message) => Violations = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Violations = [];

    /// <summary>Every violation, by field path.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    private static string Format(IReadOnlyList<FieldViolation> violations) =>
        violations is null || violations.Count == 0
            ? "The configuration is invalid."
            : $"The configuration is invalid ({violations.Count} violation(s)): " + string.Join("; ", violations);
}
