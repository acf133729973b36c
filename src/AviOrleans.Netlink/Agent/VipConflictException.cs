namespace AviOrleans.Netlink.Agent;

/// <summary>An order asks for a VIP that another virtual service on this host already wants; nothing changed.</summary>
public sealed class VipConflictException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public VipConflictException()
        : base("A VIP is already wanted by another virtual service.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VipConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public VipConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
