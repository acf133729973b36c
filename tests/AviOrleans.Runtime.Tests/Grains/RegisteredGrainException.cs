namespace AviOrleans.Runtime.Tests.Grains;

/// <summary>An application exception registered with RemoteExceptionTypes (registration is process-wide, so it has its own type).</summary>
public sealed class RegisteredGrainException : Exception
{
    public RegisteredGrainException() { }

    public RegisteredGrainException(string message) : base(message) { }

    public RegisteredGrainException(string message, Exception innerException) : base(message, innerException) { }
}
