namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>The TLS files of a cluster member are missing, unreadable, mismatched or out of their validity.</summary>
internal sealed class ClusterCredentialsException : Exception
{
    public ClusterCredentialsException(string message)
        : base(message)
    {
    }

    public ClusterCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClusterCredentialsException()
    {
    }
}
