using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// A shared VIP set (key: its name) and the virtual services that use it, all of one group (AS-35).
/// </summary>
[Alias("avi.IVsVipGrain")]
public interface IVsVipGrain : IAddressUserGrain
{
    /// <summary>Creates the set (its addresses are claimed first).</summary>
    [Alias("Create")]
    Task<VsVip> CreateAsync(VsVip vsVip, bool validateOnly);

    /// <summary>The set.</summary>
    /// <exception cref="HaObjectNotFoundException">It does not exist.</exception>
    [Alias("Get")]
    Task<VsVip> GetAsync();

    /// <summary>Replaces the set if it still equals <paramref name="expected"/>; the group of its users re-places them.</summary>
    [Alias("Update")]
    Task<VsVip> UpdateAsync(VsVip expected, VsVip updated, bool validateOnly);

    /// <summary>Deletes a set no virtual service uses.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>Records that <paramref name="vsName"/> of <paramref name="group"/> uses the set; returns the set.</summary>
    /// <exception cref="HaObjectNotFoundException">The set does not exist.</exception>
    /// <exception cref="HaValidationException">Another group's virtual services use it.</exception>
    [Alias("Attach")]
    Task<VsVip> AttachAsync(string vsName, string group, string field);

    /// <summary>Records that <paramref name="vsName"/> no longer uses the set.</summary>
    [Alias("Detach")]
    Task DetachAsync(string vsName);
}
