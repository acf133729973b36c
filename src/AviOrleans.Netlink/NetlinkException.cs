namespace AviOrleans.Netlink;

/// <summary>A netlink, packet-socket or namespace operation failed; carries the Linux errno.</summary>
public class NetlinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetlinkException()
        : this("A netlink operation failed.")
    {
    }

    /// <summary>Creates the exception with a message and no errno.</summary>
    public NetlinkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the errno that caused it.</summary>
    public NetlinkException(string message, int errno)
        : base(message)
    {
        Errno = errno;
    }

    /// <summary>The positive errno value (EPERM = 1, ...), or 0 when the failure did not come with one.</summary>
    public int Errno { get; }
}
