namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>
/// Avi's thresholds over a run of checks: an up target goes down after <c>failThreshold</c> consecutive failures and a
/// down one comes back after <c>successThreshold</c> consecutive passes. A target with no state yet (a new pool
/// server) takes the first result as it is [BEST-REASONED: Avi does not say how long a new server waits], so that
/// adding a server does not leave it unknown for several intervals.
/// </summary>
internal sealed class ConsecutiveChecks(int failThreshold, int successThreshold, bool? initial)
{
    private int _passes;
    private int _failures;

    /// <summary>True: up (reachable); false: down; null: no result yet.</summary>
    public bool? IsUp { get; private set; } = initial;

    /// <summary>Records one check; true when <see cref="IsUp"/> changed.</summary>
    public bool Record(bool passed)
    {
        if (passed)
        {
            _passes++;
            _failures = 0;
        }
        else
        {
            _failures++;
            _passes = 0;
        }

        var next = IsUp switch
        {
            null => passed,
            true when _failures >= failThreshold => false,
            false when _passes >= successThreshold => true,
            _ => IsUp,
        };
        if (next == IsUp)
        {
            return false;
        }

        IsUp = next;
        return true;
    }
}
