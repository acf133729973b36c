namespace AviOrleans.Gateway;

/// <summary>What a bearer token may do.</summary>
public enum GatewayRole
{
    /// <summary>Reads only: Get, List and Watch methods.</summary>
    Reader = 1,

    /// <summary>Reads, changes and HA operations.</summary>
    Admin = 2,
}
