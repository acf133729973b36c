namespace AviOrleans.Domain.Internal;

/// <summary>
/// The SEs that can take placements, ordered by (load, name order), with running totals, so that choosing the
/// least-loaded SE costs O(log SEs) instead of a scan. Two orders: every eligible SE (distributed) and the
/// eligible SEs in use (packed). Every load or in-use change goes through this index.
/// </summary>
internal sealed class SeLoadIndex
{
    // Key = load << 20 | index: ordering by key is ordering by load, then by name order (index < 2^20).
    private readonly SortedSet<long> _eligible = [];
    private readonly SortedSet<long> _eligibleInUse = [];
    private readonly EngineSe[] _ses;
    private int _nextIdle;

    public SeLoadIndex(EngineSe[] ses)
    {
        _ses = ses;
        foreach (var se in ses)
        {
            if (se.InUse)
            {
                InUseCount++;
            }

            if (!se.Eligible)
            {
                continue;
            }

            _eligible.Add(Key(se));
            if (se.InUse)
            {
                _eligibleInUse.Add(Key(se));
                FreeInUse += Math.Max(0, se.Free);
            }
        }
    }

    /// <summary>Free slots on eligible SEs in use (the N+M buffer measure while placing).</summary>
    public long FreeInUse { get; private set; }

    /// <summary>SEs in use, eligible or not (<c>max_se</c> counts them all).</summary>
    public int InUseCount { get; private set; }

    public void AddLoad(EngineSe se, int weight)
    {
        if (se.Eligible)
        {
            _eligible.Remove(Key(se));
            if (se.InUse)
            {
                _eligibleInUse.Remove(Key(se));
                FreeInUse -= Math.Max(0, se.Free) - Math.Max(0, se.Free - weight);
            }
        }

        se.Load += weight;
        if (se.Eligible)
        {
            _eligible.Add(Key(se));
            if (se.InUse)
            {
                _eligibleInUse.Add(Key(se));
            }
        }

        MarkInUse(se);
    }

    public void MarkInUse(EngineSe se)
    {
        if (se.InUse)
        {
            return;
        }

        se.InUse = true;
        InUseCount++;
        if (se.Eligible)
        {
            _eligibleInUse.Add(Key(se));
            FreeInUse += Math.Max(0, se.Free);
        }
    }

    /// <summary>The first eligible SE not in use in name order (on a host <paramref name="avoidHost"/> rejects, if given), or -1.</summary>
    public int NextIdle(Func<EngineSe, bool>? avoidHost, int weight)
    {
        while (_nextIdle < _ses.Length && (_ses[_nextIdle].InUse || !_ses[_nextIdle].Eligible))
        {
            _nextIdle++;
        }

        for (var i = _nextIdle; i < _ses.Length; i++)
        {
            var se = _ses[i];
            if (!se.InUse && se.Eligible && se.Free >= weight && (avoidHost is null || !avoidHost(se)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The least-loaded candidate, and the least-loaded candidate on a host the unit does not use yet. Walks up from
    /// the least load and stops at the first SE without room (all SEs have the same slot count) or at the first
    /// candidate on another host.
    /// </summary>
    public (int Best, int BestOtherHost) Best(bool inUseOnly, int weight, Func<EngineSe, bool> excluded, Func<EngineSe, bool> sharesHost, bool preferOtherHost)
    {
        var best = -1;
        foreach (var key in inUseOnly ? _eligibleInUse : _eligible)
        {
            var se = _ses[(int)(key & 0xFFFFF)];
            if (se.Free < weight)
            {
                break;
            }

            if (excluded(se))
            {
                continue;
            }

            if (best < 0)
            {
                best = se.Index;
            }

            if (!preferOtherHost || !sharesHost(se))
            {
                return (best, preferOtherHost ? se.Index : -1);
            }
        }

        return (best, -1);
    }

    private static long Key(EngineSe se) => ((long)se.Load << 20) | (uint)se.Index;
}
