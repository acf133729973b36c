namespace AviOrleans.Runtime.Tests.Grains;

public sealed class CustomGrainException : Exception
{
    public CustomGrainException() { }

    public CustomGrainException(string message) : base(message) { }

    public CustomGrainException(string message, Exception innerException) : base(message, innerException) { }
}
