using System.Collections.Immutable;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// What this silo has vouched for: when it last confirmed each peer, and the peers it has released to a takeover gate
/// and must never confirm again. Confirming and releasing exclude each other (one lock), so a gate's answer "last
/// confirmed t ago" stays true afterwards.
/// </summary>
internal sealed class ConfirmationLedger(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, long> _lastConfirmed = [];
    private readonly HashSet<SiloAddress> _released = [];

    /// <summary>Records a confirmation of <paramref name="silo"/> now, unless it was released; true when confirmed.</summary>
    public bool TryConfirm(SiloAddress silo)
    {
        lock (_lock)
        {
            if (_released.Contains(silo))
            {
                return false;
            }

            _lastConfirmed[silo] = timeProvider.GetTimestamp();
            return true;
        }
    }

    /// <summary>Never confirms <paramref name="silos"/> again; returns how long ago each was last confirmed.</summary>
    public ImmutableArray<ConfirmationAge> Release(IEnumerable<SiloAddress> silos)
    {
        var now = timeProvider.GetTimestamp();
        var ages = ImmutableArray.CreateBuilder<ConfirmationAge>();
        lock (_lock)
        {
            foreach (var silo in silos)
            {
                _released.Add(silo);
                ages.Add(new ConfirmationAge(silo, _lastConfirmed.TryGetValue(silo, out var at) ? timeProvider.GetElapsedTime(at, now) : null));
            }
        }

        return ages.ToImmutable();
    }
}
