namespace AviOrleans.Netlink;

/// <summary>The kernel refused an operation for lack of privilege (EPERM or EACCES): changing addresses needs
/// CAP_NET_ADMIN, packet sockets need CAP_NET_RAW, entering a network namespace needs CAP_SYS_ADMIN.</summary>
public sealed class NetlinkPermissionException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetlinkPermissionException()
        : base("The operation needs a capability the process does not have.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NetlinkPermissionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NetlinkPermissionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the errno (EPERM or EACCES).</summary>
    public NetlinkPermissionException(string message, int errno)
        : base(message, errno)
    {
    }
}
