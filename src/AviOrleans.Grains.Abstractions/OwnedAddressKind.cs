namespace AviOrleans.Grains;

/// <summary>What an <see cref="OwnedAddress"/> is.</summary>
[GenerateSerializer, Alias("avi.OwnedAddressKind")]
public enum OwnedAddressKind
{
    /// <summary>A virtual service's VIP.</summary>
    Vip = 0,

    /// <summary>A virtual service's source-NAT address.</summary>
    Snat = 1,

    /// <summary>A legacy-HA group's floating interface IP.</summary>
    FloatingInterface = 2,
}
