namespace AviOrleans.Grpc.Tests;

/// <summary>An application exception the tests map to INVALID_ARGUMENT with a field violation.</summary>
public sealed class FieldValidationException : Exception
{
    public FieldValidationException(string field, string description)
        : base($"{field}: {description}")
    {
        Field = field;
        Description = description;
    }

    public FieldValidationException()
        : this("field", "invalid")
    {
    }

    public FieldValidationException(string message)
        : this("field", message)
    {
    }

    public FieldValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "field";
        Description = message;
    }

    public string Field { get; } = "field";

    public string Description { get; } = "invalid";
}
