using Orleans.Concurrency;

namespace AviOrleans.Grains;

/// <summary>A grain whose object can hold address claims, asked when its claim is contested.</summary>
[Alias("avi.IAddressUserGrain")]
public interface IAddressUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// True when this object's committed configuration, or a change of it in flight, uses
    /// <paramref name="canonicalAddress"/>. Interleaves: it is asked while the object may itself be
    /// waiting on a claim.
    /// </summary>
    [Alias("UsesAddress"), AlwaysInterleave]
    Task<bool> UsesAddressAsync(string canonicalAddress);
}
