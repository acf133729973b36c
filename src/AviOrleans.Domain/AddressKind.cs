namespace AviOrleans.Domain;

/// <summary>What an owned address is.</summary>
public enum AddressKind
{
    /// <summary>A VIP address (IPv4 or IPv6).</summary>
    Vip = 0,

    /// <summary>A SNAT IP of a virtual service.</summary>
    SnatIp = 1,

    /// <summary>A legacy floating interface IP (<c>floating_intf_ip</c> or <c>floating_intf_ip_se_2</c>).</summary>
    FloatingInterfaceIp = 2,
}
