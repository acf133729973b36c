using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>No network interface of the given name or index exists in the namespace (ENODEV).</summary>
public sealed class NetworkInterfaceNotFoundException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetworkInterfaceNotFoundException()
        : base("No such network interface.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NetworkInterfaceNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NetworkInterfaceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a named interface.</summary>
    public NetworkInterfaceNotFoundException(string message, string interfaceName)
        : base(message, LibC.ENODEV)
    {
        InterfaceName = interfaceName;
    }

    /// <summary>The interface that was looked for, when known.</summary>
    public string? InterfaceName { get; }
}
