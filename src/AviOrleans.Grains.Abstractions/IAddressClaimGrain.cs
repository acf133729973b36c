namespace AviOrleans.Grains;

/// <summary>
/// One address's single user across the cluster (key: the address in canonical form): VIPs, SNAT
/// IPs and floating interface IPs are each used by one object only. A claim left behind by a
/// change that failed half-way is noticed when someone else claims the address: the holder is
/// asked whether it still uses it, and loses it if not.
/// </summary>
[Alias("avi.IAddressClaimGrain")]
public interface IAddressClaimGrain : IGrainWithStringKey
{
    /// <summary>Claims the address for <paramref name="user"/> (idempotent); returns null, or the user that holds it.</summary>
    [Alias("Claim")]
    Task<AddressUser?> ClaimAsync(AddressUser user);

    /// <summary>Releases the address if <paramref name="user"/> holds it.</summary>
    [Alias("Release")]
    Task ReleaseAsync(AddressUser user);
}
