using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// Puts a grain with <see cref="SePinnedPlacementStrategy"/> on the Active silo whose name is the
/// grain's key (the newest generation when a silo restarted on the same name), and fails fast
/// with <see cref="ServiceEngineUnavailableException"/> when there is none: an SE grain must never
/// run anywhere but on its own host, since it moves that host's addresses.
/// </summary>
internal sealed class SePinnedPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var seName = target.GrainIdentity.Key.ToString() ?? string.Empty;
        var snapshot = membership.CurrentSnapshot;
        var compatible = context.GetCompatibleSilos(target);
        var chosen = compatible
            .Select(address => snapshot.Members.TryGetValue(address, out var member) ? member : null)
            .Where(member => member is not null && member.Status == SiloStatus.Active && string.Equals(member.Name, seName, StringComparison.Ordinal))
            .OrderByDescending(member => member!.SiloAddress.Generation)
            .FirstOrDefault();
        if (chosen is null)
        {
            var named = snapshot.Members.Values.Where(m => string.Equals(m.Name, seName, StringComparison.Ordinal)).OrderByDescending(m => m.SiloAddress.Generation).FirstOrDefault();
            var why = named is null ? "no silo of that name has joined the cluster" : $"its silo {named.SiloAddress} is {named.Status}";
            throw new ServiceEngineUnavailableException(seName, $"Service engine {seName} is not available: {why}.");
        }

        return Task.FromResult(chosen.SiloAddress);
    }
}
