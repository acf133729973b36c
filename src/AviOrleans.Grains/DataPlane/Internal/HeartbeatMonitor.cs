using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Avi's datapath heartbeats between the silos (README.md, "Detection"): pings every Active peer every
/// <see cref="DataPlaneOptions.HeartbeatInterval"/> and uses the replies twice.
/// </summary>
/// <remarks>
/// <para><b>Peer evidence.</b> A reply that confirms this silo is evidence stamped with the ping's send time. Once at
/// least half of the Active peers (rounded up, at least one) have confirmed pings sent at or after T, the self-fence
/// may extend its deadline to T + W (only while it has not passed, and within the peer-evidence limit of the last lease
/// renewal).</para>
/// <para><b>Detection.</b> A peer not heard from for <see cref="DataPlaneOptions.HeartbeatMissCount"/> intervals is
/// suspected (logged, reported, moves nothing). The suspicion is confirmed when another peer has not heard from it
/// for as long either (or when no other peer exists), and only then declared through Orleans
/// (<see cref="IClusterMembershipService.TryKill"/>), so membership stays the one source of truth. A silo confirms
/// nothing while it is fenced itself, nor when one of its own ticks came late within the silence it judges (it was
/// starved, and the silence may be its own); a fenced silo is no witness for others either.</para>
/// <para><b>A process gone.</b> When a ping to a peer fails, its silo port is tried (<see cref="SiloPortProbe"/>): a
/// host that refuses the connection twice in a row has no silo listening any more (killed, crashed, exited), and the
/// peer is declared dead at once, without waiting out the silence. Only a silo that is not fenced itself declares.</para>
/// </remarks>
internal sealed partial class HeartbeatMonitor(
    DatapathHeartbeatClient client,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    LivenessEvidence evidence,
    LeaseKeeper leaseKeeper,
    PeerContacts contacts,
    IVipOwnership ownership,
    IOptions<DataPlaneOptions> options,
    TimeProvider timeProvider,
    ILogger<HeartbeatMonitor> logger) : IAsyncDisposable
{
    private readonly DataPlaneOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, PeerState> _peers = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _lastTick;
    private long _lastLateTick;
    private int _declaredDead;
    private int _disposed;

    /// <summary>Raised when a peer becomes suspected (for the failover timeline); moves nothing.</summary>
    public event Action<Suspicion>? Suspected;

    public void Start()
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, timeProvider);
        _lastTick = timeProvider.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    Tick(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The loop boundary: heartbeats must go on whatever one tick met.
                    Log.TickFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Tick(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        if (timeProvider.GetElapsedTime(_lastTick, now) > _options.HeartbeatInterval * 2)
        {
            _lastLateTick = now;
        }

        _lastTick = now;
        // A witness must have run on time for the whole silence it judges (else the silence may be its own), and must
        // hold evidence itself (a fenced or dead silo judges no one).
        var late = timeProvider.GetElapsedTime(_lastLateTick, now) <= _options.SuspicionAfter + _options.HeartbeatInterval * 2 || !evidence.IsLive();
        var snapshot = membership.CurrentSnapshot;
        var self = localSilo.SiloAddress;
        if (snapshot.GetSiloStatus(self) == SiloStatus.Dead && Interlocked.Exchange(ref _declaredDead, 1) == 0)
        {
            // Orleans stops this silo soon. Withdrawn for good first, then the lease revoked: survivors need not
            // wait out this silo's window, nor the peer-evidence limit when they take over from another SE.
            evidence.FencePermanently("the membership view says this silo is Dead");
            _ = leaseKeeper.RevokeWhenFencedAsync();
        }

        var active = snapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(self))
            .Select(m => m.SiloAddress)
            .ToHashSet();
        lock (_lock)
        {
            foreach (var gone in _peers.Keys.Where(p => !active.Contains(p)).ToList())
            {
                _peers.Remove(gone);
            }

            foreach (var peer in active)
            {
                if (_peers.TryAdd(peer, new PeerState()))
                {
                    contacts.Watch(peer);
                }
            }
        }

        contacts.Retain(active);
        var ping = new HeartbeatPing(self, _options.Parameters, DatapathHeartbeatService.HeldGroups(ownership));
        foreach (var peer in active)
        {
            _ = PingAsync(peer, ping, now, cancellationToken);
        }

        foreach (var peer in active)
        {
            Watch(peer, active, late, cancellationToken);
        }
    }

    private async Task PingAsync(SiloAddress peer, HeartbeatPing ping, long sentAt, CancellationToken stopping)
    {
        HeartbeatReply reply;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.SuspicionAfter * 2);
        try
        {
            reply = await client.For(peer).PingAsync(ping, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // A miss: the silence it leaves is what detection counts, unless the peer's process is gone.
            CheckGone(peer, stopping);
            return;
        }

        contacts.Heard(peer);
        long? quorumSentAt;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state))
            {
                return;
            }

            state.Groups = reply.Groups;
            state.Answered = true;
            if (state.SuspectedAt is not null)
            {
                state.SuspectedAt = null;
                Log.SuspicionCleared(logger, peer);
            }

            if (reply.Confirmed)
            {
                state.ConfirmedSentAt = Math.Max(state.ConfirmedSentAt, sentAt);
            }
            else if (!state.RefusalLogged)
            {
                state.RefusalLogged = true;
                Log.NotConfirmed(logger, peer, reply.Reason ?? "no reason given");
            }

            quorumSentAt = QuorumSentAt();
        }

        if (quorumSentAt is { } at)
        {
            evidence.OnPeersConfirmed(at);
        }
    }

    /// <summary>The latest T such that at least half of the Active peers (rounded up) confirmed pings sent at or
    /// after T; null when too few have.</summary>
    private long? QuorumSentAt()
    {
        var required = (_peers.Count + 1) / 2;
        if (required == 0)
        {
            return null;
        }

        var confirmed = _peers.Values.Select(p => p.ConfirmedSentAt).Where(t => t != long.MinValue).OrderDescending().ToList();
        return confirmed.Count >= required ? confirmed[required - 1] : null;
    }

    private void Watch(SiloAddress peer, IReadOnlySet<SiloAddress> active, bool late, CancellationToken cancellationToken)
    {
        var silence = contacts.SilenceOf(peer) ?? TimeSpan.Zero;
        if (silence < _options.SuspicionAfter)
        {
            return;
        }

        Suspicion? suspicion = null;
        var confirm = false;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state) || !state.Answered)
            {
                return;
            }

            if (state.SuspectedAt is null)
            {
                state.SuspectedAt = timeProvider.GetUtcNow() - silence + _options.SuspicionAfter;
                suspicion = new Suspicion(peer, state.Groups, state.SuspectedAt.Value, $"no datapath heartbeat reply for {silence.TotalMilliseconds:0} ms");
            }

            // A late tick means this silo itself was starved: the silence may be its own, so it confirms nothing now.
            if (!late && !state.Declared && !state.Confirming && _options.DeclareDeadOnConfirmedSuspicion)
            {
                state.Confirming = true;
                confirm = true;
            }
        }

        if (suspicion is not null)
        {
            Log.PeerSuspected(logger, peer, suspicion.Reason);
            Suspected?.Invoke(suspicion);
        }

        if (confirm)
        {
            _ = DeclaringAsync(peer, () => ConfirmAndDeclareAsync(peer, [.. active.Where(p => !p.Equals(peer))], cancellationToken), state => state.Confirming = false, cancellationToken);
        }
    }

    private void CheckGone(SiloAddress peer, CancellationToken cancellationToken)
    {
        if (!_options.DeclareDeadOnConfirmedSuspicion)
        {
            return;
        }

        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            // One check at a time per peer, and at most one per suspicion period (a live peer whose pings fail for
            // another reason is not knocked on every tick).
            if (!_peers.TryGetValue(peer, out var state) || !state.Answered || state.Declared || state.CheckingGone
                || (state.GoneCheckedAt is { } last && timeProvider.GetElapsedTime(last, now) < _options.SuspicionAfter))
            {
                return;
            }

            state.CheckingGone = true;
            state.GoneCheckedAt = now;
        }

        _ = DeclaringAsync(peer, () => CheckGoneAsync(peer, cancellationToken), state => state.CheckingGone = false, cancellationToken);
    }

    private async Task CheckGoneAsync(SiloAddress peer, CancellationToken cancellationToken)
    {
        // Twice, a moment apart: a refusal is the host's kernel speaking, but one stray RST is not a verdict.
        var timeout = _options.HeartbeatInterval * 2;
        if (!await SiloPortProbe.RefusesAsync(peer.Endpoint, timeout, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await Task.Delay(_options.HeartbeatInterval / 2, timeProvider, cancellationToken).ConfigureAwait(false);
        if (!await SiloPortProbe.RefusesAsync(peer.Endpoint, timeout, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Suspicion suspicion;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state) || state.Declared || !evidence.IsLive())
            {
                return;
            }

            state.Declared = true;
            state.SuspectedAt ??= timeProvider.GetUtcNow();
            suspicion = new Suspicion(peer, state.Groups, state.SuspectedAt.Value, "its host refuses connections to the silo port");
        }

        Suspected?.Invoke(suspicion);
        Log.DeclaringGone(logger, peer);
        await membership.TryKill(peer).ConfigureAwait(false);
    }

    /// <summary>Runs one attempt at declaring <paramref name="peer"/> dead: its failure is logged, and
    /// <paramref name="done"/> releases the peer's flag for the next attempt whatever happened.</summary>
    private async Task DeclaringAsync(SiloAddress peer, Func<Task> attempt, Action<PeerState> done, CancellationToken cancellationToken)
    {
        try
        {
            await attempt().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.DeclareFailed(logger, peer, ex);
        }
        finally
        {
            lock (_lock)
            {
                if (_peers.TryGetValue(peer, out var state))
                {
                    done(state);
                }
            }
        }
    }

    private async Task ConfirmAndDeclareAsync(SiloAddress peer, IReadOnlyList<SiloAddress> others, CancellationToken cancellationToken)
    {
        // Two observers; alone (no other Active peer), twice the silence: one observer's view is all there is,
        // as for Orleans' single vote in a cluster of two, but a slow peer must not be mistaken for a dead one.
        var observers = 1;
        if (others.Count > 0)
        {
            var silences = await Task.WhenAll(others.Select(o => AskSilenceAsync(o, peer, cancellationToken))).ConfigureAwait(false);
            observers += silences.Count(s => s >= _options.SuspicionAfter);
        }
        else if (contacts.SilenceOf(peer) is not { } silence || silence < _options.SuspicionAfter * 2)
        {
            return;
        }

        if (observers < (others.Count == 0 ? 1 : 2))
        {
            return;
        }

        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state) || state.SuspectedAt is null || state.Declared || !evidence.IsLive())
            {
                return;
            }

            state.Declared = true;
        }

        Log.DeclaringDead(logger, peer, observers);
        await membership.TryKill(peer).ConfigureAwait(false);
    }

    private async Task<TimeSpan?> AskSilenceAsync(SiloAddress observer, SiloAddress peer, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.SuspicionAfter);
        try
        {
            return await client.For(observer).GetSilenceAsync(peer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // An observer that does not answer does not confirm.
            return null;
        }
    }

    private sealed class PeerState
    {
        public long ConfirmedSentAt { get; set; } = long.MinValue;

        public string[] Groups { get; set; } = [];

        public DateTimeOffset? SuspectedAt { get; set; }

        public bool Confirming { get; set; }

        public bool Declared { get; set; }

        public bool CheckingGone { get; set; }

        /// <summary>When its silo port was last tried (a timestamp), or null.</summary>
        public long? GoneCheckedAt { get; set; }

        public bool RefusalLogged { get; set; }

        /// <summary>It has answered at least once: a silo still starting up is not suspected by the heartbeats
        /// (Orleans' own probes watch it from its join).</summary>
        public bool Answered { get; set; }
    }
}
