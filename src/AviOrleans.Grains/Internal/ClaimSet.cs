using Orleans;

namespace AviOrleans.Grains.Internal;

/// <summary>Claims and releases a set of addresses for one object: all of them or none.</summary>
internal static class ClaimSet
{
    /// <summary>
    /// Claims every address of <paramref name="uses"/> for the object (<paramref name="kind"/>, <paramref name="name"/>) (in parallel). If
    /// one is another object's, releases what this call claimed and throws
    /// <see cref="HaObjectExistsException"/> on that address's field.
    /// </summary>
    public static async Task ClaimAsync(IGrainFactory grains, string kind, string name, IEnumerable<AddressUse> uses, Func<AddressUse, bool>? alreadyHeld = null)
    {
        var wanted = uses.Where(u => alreadyHeld is null || !alreadyHeld(u)).GroupBy(u => u.Canonical, StringComparer.Ordinal).Select(g => g.First()).ToArray();
        if (wanted.Length == 0)
        {
            return;
        }

        var holders = await Task.WhenAll(wanted.Select(u => grains.GetGrain<IAddressClaimGrain>(u.Canonical).ClaimAsync(new AddressUser(kind, name, u.Description))));
        var conflict = Array.FindIndex(holders, h => h is not null);
        if (conflict < 0)
        {
            return;
        }

        await Task.WhenAll(wanted.Where((_, i) => holders[i] is null).Select(u => grains.GetGrain<IAddressClaimGrain>(u.Canonical).ReleaseAsync(new AddressUser(kind, name, u.Description))));
        var clash = wanted[conflict];
        throw new HaObjectExistsException(clash.Field, $"{clash.Value} is already used by {holders[conflict]!.Description}");
    }

    /// <summary>Releases the addresses of <paramref name="uses"/> that the object (<paramref name="kind"/>, <paramref name="name"/>) holds.</summary>
    public static Task ReleaseAsync(IGrainFactory grains, string kind, string name, IEnumerable<AddressUse> uses) =>
        Task.WhenAll(uses.Select(u => u.Canonical).Distinct(StringComparer.Ordinal)
            .Select(a => grains.GetGrain<IAddressClaimGrain>(a).ReleaseAsync(new AddressUser(kind, name, string.Empty))));
}
