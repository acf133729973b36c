using System.Net;

namespace AviOrleans.Netlink;

/// <summary>The kernel refused to add, replace or delete one address; names the address, the interface and the errno.</summary>
public sealed class AddressOperationException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public AddressOperationException()
        : base("An address operation failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AddressOperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public AddressOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one address.</summary>
    public AddressOperationException(string message, int errno, IPAddress address, string interfaceName)
        : base(message, errno)
    {
        Address = address;
        InterfaceName = interfaceName;
    }

    /// <summary>The address of the failed operation.</summary>
    public IPAddress? Address { get; }

    /// <summary>The interface of the failed operation.</summary>
    public string? InterfaceName { get; }
}
