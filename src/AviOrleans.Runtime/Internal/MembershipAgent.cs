using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// One silo's part of the membership protocol (Orleans' MembershipAgent, ClusterHealthMonitor and
/// MembershipTableManager in one): join, I-am-alive, direct probes, suspicion votes, declaring death, table
/// refresh and gossip. Every versioned change is a conditional write on the version just read; a lost race
/// re-reads and decides again.
/// <para>
/// Voting rule (as Orleans): a silo that misses <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>
/// probes in a row adds its vote; the silo is declared Dead when the fresh votes (younger than
/// <see cref="ClusterMembershipOptions.DeathVoteExpiration"/>) reach
/// <c>min(NumVotesForDeathDeclaration, (activeNonStaleSilos + 1) / 2)</c>. A 2-silo cluster needs 1 vote, so the
/// survivor alone declares its peer dead; in larger clusters one confused silo cannot kill another by itself.
/// A silo whose own timers run late (thread-pool starvation, GC) does not vote that round: it cannot tell a
/// dead peer from its own slowness.
/// </para>
/// </summary>
internal sealed class MembershipAgent : IDisposable
{
    private const int MaxProbesInFlight = 3;
    private const int MaxWriteAttempts = 50;

    private readonly SiloRuntime _silo;
    private readonly IMembershipTable _table;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _time;
    private readonly string _hostName;
    private readonly Dictionary<SiloAddress, ProbeState> _probes = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private readonly List<ITimer> _timers = [];
    private MembershipEntry? _myEntry;
    private long _lastProbeTick;
    private int _refreshing;
    private int _refreshAgain;

    public MembershipAgent(SiloRuntime silo, IMembershipTable table, ClusterMembershipOptions options, string hostName)
    {
        _silo = silo;
        _table = table;
        _options = options;
        _time = silo.Time;
        _hostName = hostName;
    }

    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(true, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        _myEntry = new MembershipEntry
        {
            Silo = _silo.SiloAddress,
            SiloName = _silo.SiloName,
            HostName = _hostName,
            Status = SiloStatus.Joining,
            ProxyPort = _silo.SiloAddress.Endpoint.Port,
            StartTime = now,
            IAmAliveTime = now,
        };
        await UpdateMyStatusAsync(SiloStatus.Joining, cancellationToken).ConfigureAwait(false);
        try
        {
            await DeclarePreviousIncarnationsDeadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or InvalidOperationException)
        {
            // Best effort, as Orleans: the probes will still find the dead incarnation and vote it out.
            Log.TableOperationFailed(_silo.Logger, ex);
        }

        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnRefreshTick(), this, _options.TableRefreshPeriod, _options.TableRefreshPeriod));
        try
        {
            await CheckConnectivityAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Best effort: leave a row that says what happened rather than a silo that seems to be joining forever.
            try
            {
                await UpdateMyStatusAsync(SiloStatus.Dead, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StoreUnavailableException or InvalidOperationException)
            {
                Log.TableOperationFailed(_silo.Logger, ex);
            }

            throw;
        }

        await UpdateMyStatusAsync(SiloStatus.Active, cancellationToken).ConfigureAwait(false);
        _lastProbeTick = _time.GetTimestamp();
        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnProbeTick(), this, _options.ProbePeriod, _options.ProbePeriod));
        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnIAmAliveTick(), this, _options.IAmAlivePeriod, _options.IAmAlivePeriod));
        _timers.Add(_time.CreateTimer(static s => ((MembershipAgent)s!).OnCleanupTick(), this, _options.DefunctSiloCleanupPeriod, _options.DefunctSiloCleanupPeriod));
    }

    /// <summary>Writes this silo's status, conditional on the version read; retries lost races.</summary>
    public async Task UpdateMyStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
            {
                var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                var row = data.Entries.FirstOrDefault(r => r.Entry.Silo == _silo.SiloAddress);
                if (row.Entry is { Status: SiloStatus.Dead } && status != SiloStatus.Dead)
                {
                    _silo.OnSnapshot(ToSnapshot(data));
                    throw new SiloUnavailableException($"Silo {_silo.SiloName} was declared dead before it could become {status}.");
                }

                var entry = (row.Entry ?? _myEntry!) with { Status = status, IAmAliveTime = _time.GetUtcNow() };
                var written = row.Entry is null
                    ? await _table.InsertRowAsync(entry, data.Version.Next(), cancellationToken).ConfigureAwait(false)
                    : await _table.UpdateRowAsync(entry, row.ETag, data.Version.Next(), cancellationToken).ConfigureAwait(false);
                if (written)
                {
                    _myEntry = entry;
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                    var gossip = Gossip(null);
                    if (status.IsTerminating())
                    {
                        // This silo is leaving and will close its connections: let the news get out first.
                        await gossip.WaitAsync(_options.ProbeTimeout * 4, _time, cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(5 + (attempt * 5)), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        throw new InvalidOperationException($"Silo {_silo.SiloName} could not write its status {status}: the membership table kept changing.");
    }

    /// <summary>
    /// As Orleans: a row at this silo's endpoint with an older generation is an earlier incarnation of this silo that
    /// crashed (it cannot be running: this process holds the endpoint), so it is declared Dead at once, with the usual
    /// conditional write, instead of waiting for probes or for its I-am-alive to go stale. Done before the connectivity
    /// check, which would otherwise try to reach the dead incarnation.
    /// </summary>
    private async Task DeclarePreviousIncarnationsDeadAsync(CancellationToken cancellationToken)
    {
        var me = _silo.SiloAddress;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
            {
                var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                var previous = data.Entries.FirstOrDefault(r => IsPreviousIncarnation(r.Entry.Silo, me) && r.Entry.Status != SiloStatus.Dead);
                if (previous.Entry is null)
                {
                    _silo.OnSnapshot(ToSnapshot(data));
                    return;
                }

                var entry = previous.Entry with { Status = SiloStatus.Dead, SuspectTimes = [.. previous.Entry.SuspectTimes, new SuspectVote(me, _time.GetUtcNow())] };
                if (await _table.UpdateRowAsync(entry, previous.ETag, data.Version.Next(), cancellationToken).ConfigureAwait(false))
                {
                    Log.PreviousIncarnationDeclaredDead(_silo.Logger, previous.Entry.Silo, me);
                    _ = Gossip(null);
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(5 + (attempt * 5)), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }

        throw new InvalidOperationException($"Silo {_silo.SiloName} could not declare its earlier incarnations dead: the membership table kept changing.");
    }

    private static bool IsPreviousIncarnation(SiloAddress candidate, SiloAddress me) =>
        candidate.Endpoint.Equals(me.Endpoint) && candidate.Generation < me.Generation;

    /// <summary>Another silo wrote the table: read it now (not coalesced) and apply it.</summary>
    public async Task ReadTableNowAsync()
    {
        try
        {
            var data = await _table.ReadAllAsync(_disposed.Token).ConfigureAwait(false);
            _silo.OnSnapshot(ToSnapshot(data));
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            Log.TableOperationFailed(_silo.Logger, ex);
        }
    }

    public void Dispose()
    {
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }

        _disposed.Cancel();
    }

    private static MembershipSnapshot ToSnapshot(MembershipTableData data) =>
        new(data.Version, [.. data.Entries.Select(r => r.Entry)]);

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        // Coalesce: gossip bursts trigger one read now and at most one more after it.
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            Volatile.Write(ref _refreshAgain, 1);
            return;
        }

        try
        {
            do
            {
                Volatile.Write(ref _refreshAgain, 0);
                var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                _silo.OnSnapshot(ToSnapshot(data));
            }
            while (Volatile.Read(ref _refreshAgain) == 1);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            Log.TableOperationFailed(_silo.Logger, ex);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task CheckConnectivityAsync(CancellationToken cancellationToken)
    {
        // As Orleans: a joining silo must reach every active, non-stale silo, or it would be suspected at once.
        var deadline = _time.GetUtcNow() + _options.MaxJoinAttemptTime;
        while (true)
        {
            var snapshot = _silo.View.Current;
            var now = _time.GetUtcNow();
            var others = snapshot.Entries.Where(e => e.Status == SiloStatus.Active && e.Silo != _silo.SiloAddress && !IsStale(e, now)).ToList();
            var results = await Task.WhenAll(others.Select(async e =>
            {
                try
                {
                    var reply = ProbeReply.Decode(await _silo.SendSystemCallAsync(e.Silo, TargetKind.Probe, _options.ProbeTimeout * 4).ConfigureAwait(false));
                    return reply.IsFrom(e.Silo) ? null : new SiloUnavailableException($"Silo {e.Silo} is gone: {reply.Responder} answered its probe.");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return ex;
                }
            })).ConfigureAwait(false);

            if (results.OfType<ClusterAuthenticationException>().FirstOrDefault() is { } authFailure)
            {
                throw new ClusterAuthenticationException($"Silo {_silo.SiloName} cannot join: {authFailure.Message}", authFailure);
            }

            if (results.All(r => r is null))
            {
                return;
            }

            if (_time.GetUtcNow() > deadline)
            {
                throw new SiloUnavailableException($"Silo {_silo.SiloName} could not reach every active silo within {_options.MaxJoinAttemptTime}.", results.First(r => r is not null)!);
            }

            await Task.Delay(_options.ProbePeriod, _time, cancellationToken).ConfigureAwait(false);
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsStale(MembershipEntry entry, DateTimeOffset now) =>
        now - entry.EffectiveIAmAliveTime > _options.IAmAlivePeriod * _options.NumMissedIAmAliveLimit;

    private void OnRefreshTick() => _ = RefreshAsync(_disposed.Token);

    private void OnIAmAliveTick() => _ = WriteIAmAliveAsync();

    private void OnCleanupTick() => _ = CleanupDefunctAsync();

    private async Task CleanupDefunctAsync()
    {
        try
        {
            await _table.CleanupDefunctSiloEntriesAsync(_time.GetUtcNow() - _options.DefunctSiloExpiration, _disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            Log.TableOperationFailed(_silo.Logger, ex);
        }
    }

    private async Task WriteIAmAliveAsync()
    {
        if (_myEntry is not { } entry)
        {
            return;
        }

        try
        {
            await _table.UpdateIAmAliveAsync(entry with { IAmAliveTime = _time.GetUtcNow() }, _disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            Log.TableOperationFailed(_silo.Logger, ex);
        }
    }

    private void OnProbeTick()
    {
        var now = _time.GetTimestamp();
        var sinceLast = _time.GetElapsedTime(Interlocked.Exchange(ref _lastProbeTick, now), now);
        var lagging = sinceLast > _options.ProbePeriod + _options.ProbeTimeout;
        if (lagging)
        {
            Log.LocalLag(_silo.Logger, (sinceLast - _options.ProbePeriod).TotalMilliseconds);
        }

        var snapshot = _silo.View.Current;
        var targets = ChooseMonitored(snapshot);
        lock (_probes)
        {
            foreach (var gone in _probes.Keys.Where(k => !targets.Contains(k)).ToList())
            {
                _probes.Remove(gone);
            }

            foreach (var target in targets)
            {
                if (!_probes.TryGetValue(target, out var state))
                {
                    _probes[target] = state = new ProbeState();
                }

                if (lagging)
                {
                    // Our own slowness is not the peer's fault: start its count again, and do not count the probes
                    // still in flight, whose timeouts ran during the same stall.
                    state.Missed = 0;
                    state.Round++;
                }

                if (state.InFlight < MaxProbesInFlight)
                {
                    state.InFlight++;
                    _ = ProbeAsync(target, state, state.Round);
                }
            }
        }
    }

    /// <summary>
    /// The silos this one probes: up to NumProbedSilos active silos following it on a ring ordered by hash, so
    /// in a large cluster every silo is watched by several others and nobody watches everybody.
    /// </summary>
    private HashSet<SiloAddress> ChooseMonitored(MembershipSnapshot snapshot)
    {
        var ring = snapshot.ActiveSilos.OrderBy(s => StableHash.Compute(s.ToString())).ThenBy(s => s.ToString(), StringComparer.Ordinal).ToList();
        var self = ring.IndexOf(_silo.SiloAddress);
        var result = new HashSet<SiloAddress>();
        for (var i = 1; i < ring.Count && result.Count < _options.NumProbedSilos; i++)
        {
            result.Add(ring[(Math.Max(self, 0) + i) % ring.Count]);
        }

        result.Remove(_silo.SiloAddress);
        return result;
    }

    private async Task ProbeAsync(SiloAddress target, ProbeState state, int round)
    {
        var answered = false;
        var iAmDead = false;
        try
        {
            var reply = ProbeReply.Decode(await _silo.SendSystemCallAsync(target, TargetKind.Probe, _options.ProbeTimeout).ConfigureAwait(false));
            answered = reply.IsFrom(target);
            iAmDead = answered && reply.ProberIsDead;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A refused connection, a reset, a timeout: all are a missed probe.
        }

        if (iAmDead)
        {
            // The peer sees us as dead: a newer table says so. Re-read it; the snapshot stops this silo.
            await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }

        bool vote;
        lock (_probes)
        {
            state.InFlight--;
            state.Missed = answered ? 0 : state.Round == round ? state.Missed + 1 : state.Missed;
            vote = !answered && state.Missed >= _options.NumMissedProbesLimit && !state.Voting && _silo.IsRunning;
            if (vote)
            {
                state.Voting = true;
            }
        }

        if (!answered)
        {
            Log.ProbeMissed(_silo.Logger, target, state.Missed);
        }

        if (vote)
        {
            try
            {
                await TrySuspectOrKillAsync(target).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException or InvalidOperationException)
            {
                Log.TableOperationFailed(_silo.Logger, ex);
            }
            finally
            {
                lock (_probes)
                {
                    state.Voting = false;
                }
            }
        }
    }

    private async Task TrySuspectOrKillAsync(SiloAddress target)
    {
        var token = _disposed.Token;
        for (var attempt = 0; attempt < MaxWriteAttempts && !token.IsCancellationRequested; attempt++)
        {
            var data = await _table.ReadAllAsync(token).ConfigureAwait(false);
            _silo.OnSnapshot(ToSnapshot(data));
            var me = data.Entries.FirstOrDefault(r => r.Entry.Silo == _silo.SiloAddress);
            var row = data.Entries.FirstOrDefault(r => r.Entry.Silo == target);
            if (me.Entry is not { Status: SiloStatus.Active } || row.Entry is null || row.Entry.Status == SiloStatus.Dead)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var votes = row.Entry.SuspectTimes
                .Where(v => v.Suspecter != _silo.SiloAddress && now - v.Time < _options.DeathVoteExpiration)
                .Append(new SuspectVote(_silo.SiloAddress, now))
                .ToList();
            // Staleness is judged against this silo's own last I-am-alive in the table, not against the clock: when the
            // store was down every silo's I-am-alive failed alike, and counting every row stale would let one vote kill.
            // A row well behind ours is a silo that stopped writing while we could.
            var reference = me.Entry.EffectiveIAmAliveTime < now ? me.Entry.EffectiveIAmAliveTime : now;
            var activeNonStale = data.Entries.Count(r => r.Entry.Status == SiloStatus.Active && (r.Entry.Silo == _silo.SiloAddress || !IsStale(r.Entry, reference)));
            var required = Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, (activeNonStale + 1) / 2));
            var dead = votes.Count >= required;
            var entry = row.Entry with { SuspectTimes = votes, Status = dead ? SiloStatus.Dead : row.Entry.Status };
            if (await _table.UpdateRowAsync(entry, row.ETag, data.Version.Next(), token).ConfigureAwait(false))
            {
                if (dead)
                {
                    Log.DeclaredDead(_silo.Logger, target, votes.Count, required);
                }
                else
                {
                    Log.VotedSuspect(_silo.Logger, target, votes.Count, required);
                }

                await RefreshAsync(token).ConfigureAwait(false);
                _ = Gossip(dead ? target : null);
                return;
            }
        }
    }

    /// <summary>Tells every other silo (and a silo just declared dead, so it stops sooner) to re-read the table.</summary>
    private Task Gossip(SiloAddress? alsoTell)
    {
        var snapshot = _silo.View.Current;
        var sends = new List<Task>();
        foreach (var entry in snapshot.Entries)
        {
            if (entry.Silo != _silo.SiloAddress && (entry.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown || entry.Silo == alsoTell))
            {
                sends.Add(GossipOneAsync(entry.Silo));
            }
        }

        return Task.WhenAll(sends);
    }

    private async Task GossipOneAsync(SiloAddress target)
    {
        try
        {
            await _silo.SendSystemCallAsync(target, TargetKind.MembershipGossip, _options.ProbeTimeout * 4).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Gossip is a hint; the periodic refresh is the fallback.
        }
    }

    private sealed class ProbeState
    {
        public int Missed { get; set; }

        public int InFlight { get; set; }

        /// <summary>Counts the rounds this silo lagged in; a probe started in an earlier one is not counted.</summary>
        public int Round { get; set; }

        public bool Voting { get; set; }
    }
}
