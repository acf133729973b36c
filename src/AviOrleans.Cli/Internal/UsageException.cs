namespace AviOrleans.Cli.Internal;

/// <summary>The command line itself is wrong (unknown field, bad value): exit code 2, nothing sent.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
