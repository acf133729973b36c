using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Where a grain lives, computed from the membership view alone, so the placement is also the directory: every
/// silo with the same view finds the same owner without asking anyone. Hash-placed grains use rendezvous
/// hashing (highest score of hash(grain, silo) over active silos) so a silo that comes or goes moves only its
/// own share of grains; pinned grains live on the active silo their key names.
/// </summary>
internal sealed class PlacementDirector
{
    private Ring _ring = new([], [], MembershipSnapshot.Empty);

    /// <summary>Takes <paramref name="snapshot"/> unless a newer one is already in use (snapshots may arrive out of order).</summary>
    public void Update(MembershipSnapshot snapshot)
    {
        var next = new Ring(
            [.. snapshot.ActiveSilos.Select(s => (s, StableHash.Compute(s.ToString())))],
            [.. snapshot.Entries.Where(e => e.Status is SiloStatus.Active or SiloStatus.ShuttingDown).Select(e => (e.Silo, StableHash.Compute(e.Silo.ToString())))],
            snapshot);
        while (true)
        {
            var current = _ring;
            if (current.Snapshot.Version.Version >= snapshot.Version.Version
                || Interlocked.CompareExchange(ref _ring, next, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>The owner of <paramref name="grainId"/>, or null with the reason it has none.</summary>
    public SiloAddress? GetOwner(GrainId grainId, GrainPlacementKind placement, out string? error, SiloAddress? exclude = null)
    {
        var ring = Volatile.Read(ref _ring);
        error = null;
        if (placement == GrainPlacementKind.Pinned)
        {
            var siloName = PinnedSiloName(grainId.Key);
            if (ring.Snapshot.FindActiveByName(siloName) is { } entry)
            {
                return entry.Silo;
            }

            error = $"Grain {grainId} is pinned to silo '{siloName}', which is not active.";
            return null;
        }

        if (Rendezvous(grainId.GetUniformHashCode(), ring.Silos, exclude) is { } owner)
        {
            return owner;
        }

        error = $"No active silo can host grain {grainId}.";
        return null;
    }

    /// <summary>
    /// Who owned a hash-placed grain before <paramref name="self"/> came into its place: the rendezvous winner among
    /// the silos still up (active or shutting down) other than <paramref name="self"/>. Null when none.
    /// </summary>
    public SiloAddress? GetPreviousOwner(GrainId grainId, SiloAddress self) =>
        Rendezvous(grainId.GetUniformHashCode(), Volatile.Read(ref _ring).UpSilos, self);

    private static SiloAddress? Rendezvous(uint grainHash, (SiloAddress Silo, uint Hash)[] silos, SiloAddress? exclude)
    {
        SiloAddress? best = null;
        var bestScore = 0u;
        foreach (var (silo, hash) in silos)
        {
            if (silo == exclude)
            {
                continue;
            }

            var score = StableHash.Combine(grainHash, hash);
            if (best is null || score > bestScore)
            {
                best = silo;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The silo name a pinned grain's key names: the key up to its first '/'.</summary>
    public static string PinnedSiloName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? key : key[..slash];
    }

    private sealed record Ring((SiloAddress Silo, uint Hash)[] Silos, (SiloAddress Silo, uint Hash)[] UpSilos, MembershipSnapshot Snapshot);
}
