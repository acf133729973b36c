namespace AviOrleans.Runtime;

/// <summary>A connection to or from a silo failed the cluster-key handshake: the peer does not hold the same key.</summary>
public sealed class ClusterAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterAuthenticationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public ClusterAuthenticationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ClusterAuthenticationException(string message, Exception innerException) : base(message, innerException) { }
}
