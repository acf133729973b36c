using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>When this silo last heard from each peer (a heartbeat reply from it, or a heartbeat it sent).</summary>
internal sealed class PeerContacts(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, long> _lastContact = [];

    /// <summary>Starts watching <paramref name="silo"/> as if heard from now (a new peer gets a full allowance).</summary>
    public void Watch(SiloAddress silo)
    {
        lock (_lock)
        {
            _lastContact.TryAdd(silo, timeProvider.GetTimestamp());
        }
    }

    /// <summary>Stops watching peers not in <paramref name="watched"/>.</summary>
    public void Retain(IReadOnlySet<SiloAddress> watched)
    {
        lock (_lock)
        {
            foreach (var silo in _lastContact.Keys.Where(s => !watched.Contains(s)).ToList())
            {
                _lastContact.Remove(silo);
            }
        }
    }

    /// <summary>Heard from <paramref name="silo"/> now.</summary>
    public void Heard(SiloAddress silo)
    {
        lock (_lock)
        {
            _lastContact[silo] = timeProvider.GetTimestamp();
        }
    }

    /// <summary>How long since <paramref name="silo"/> was last heard from; null when it is not watched.</summary>
    public TimeSpan? SilenceOf(SiloAddress silo)
    {
        lock (_lock)
        {
            return _lastContact.TryGetValue(silo, out var at) ? timeProvider.GetElapsedTime(at) : null;
        }
    }
}
