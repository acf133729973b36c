using System.Collections.Immutable;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// Opens a dead SE's addresses to a survivor only once that SE cannot be answering for any of them (README.md,
/// "The takeover gate"). Each pass reads, in this order, and waits where one says so:
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The membership table (from the store, not a gossiped view): every generation of the SE must be Dead.</item>
/// <item>Each generation's fencing lease, by the store's clock: revoked (it withdrew and can never return), or out
/// for at least the fencing margin (its own deadline passed at least that long ago).</item>
/// <item>Every other silo in the table (asked while the leases are read, the SE being Dead already), asked to stop confirming the SE for good and to say when it last did: the SE's
/// peer evidence from it ran out W after that, and the gate waits W + margin from it. A silo that does not answer
/// counts as having confirmed just now, unless its own lease shows it cannot confirm anyone any more (revoked, never
/// held, or out for longer than the peer-evidence limit + W + margin).</item>
/// <item>When a pass needs no wait, the SE's leases are revoked, each only if still out: a renewal that slipped in
/// makes the revoke fail and the gate goes round again.</item>
/// </list>
/// If the store or the table cannot be read the gate throws <see cref="TakeoverGateUnavailableException"/>:
/// nothing moves while the store is away.
/// </remarks>
public sealed partial class FencedTakeoverGate : ITakeoverGate
{
    private readonly IMembershipTable _membershipTable;
    private readonly SiloLeases _leases;
    private readonly DatapathHeartbeatClient _client;
    private readonly DataPlaneOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    internal FencedTakeoverGate(
        IMembershipTable membershipTable,
        SiloLeases leases,
        DatapathHeartbeatClient client,
        IOptions<DataPlaneOptions> options,
        TimeProvider timeProvider,
        ILogger<FencedTakeoverGate> logger)
    {
        _membershipTable = membershipTable;
        _leases = leases;
        _client = client;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>How long to wait before reading again when something is not settled yet.</summary>
    private TimeSpan Poll => _options.HeartbeatInterval;

    /// <summary>How long to wait at most while a lease still runs: a killed silo's guard revokes it (it removed the
    /// silo's addresses), and the gate should see that rather than sleep out the window.</summary>
    private TimeSpan LeasePoll => Poll * 2;

    /// <inheritdoc/>
    public async Task WaitUntilFencedAsync(string seName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(seName);
        var started = _timeProvider.GetTimestamp();
        string? lastReason = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pending = await PassAsync(seName, cancellationToken).ConfigureAwait(false);
            if (pending is not { } wait)
            {
                var elapsed = _timeProvider.GetElapsedTime(started);
                Log.Opened(_logger, seName, elapsed.TotalMilliseconds);
                return;
            }

            if (wait.Reason != lastReason)
            {
                lastReason = wait.Reason;
                Log.Waiting(_logger, seName, wait.Reason, wait.For.TotalMilliseconds);
            }

            await Task.Delay(wait.For, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: null when the gate may open (the leases are revoked), else how long to wait and why.</summary>
    private async Task<(TimeSpan For, string Reason)?> PassAsync(string seName, CancellationToken cancellationToken)
    {
        MembershipTableData table;
        try
        {
            table = await _membershipTable.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new TakeoverGateUnavailableException($"The membership table could not be read, so whether SE '{seName}' is dead is unknown: nothing moves.", ex);
        }

        var rows = table.Members.Select(m => m.Item1).ToList();
        var targets = rows.Where(r => r.SiloName == seName).Select(r => r.SiloAddress).ToImmutableArray();
        if (targets.IsEmpty)
        {
            // No silo of that name ever joined (a row lives as long as its silo, and for days after its death).
            return null;
        }

        if (rows.FirstOrDefault(r => targets.Contains(r.SiloAddress) && r.Status != SiloStatus.Dead) is { } alive)
        {
            return (Poll, $"silo {alive.SiloAddress} is {alive.Status} in the membership table, not Dead");
        }

        // The SE's own leases, by the store's clock, read while every other silo is asked to stop confirming the SE
        // and to say when it last did (the SE is Dead in the table, so asking early takes nothing from it): the two
        // round trips overlap instead of adding up on the failover's critical path.
        var peers = rows.Select(r => r.SiloAddress).Where(s => !targets.Contains(s)).ToList();
        var asking = Task.WhenAll(peers.Select(p => AskPeerAsync(p, targets, cancellationToken)));
        SiloLeaseState[] leases;
        try
        {
            leases = await Task.WhenAll(targets.Select(t => ReadLeaseAsync(t, cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            Abandon(asking);
            throw;
        }

        if (SelfWait(targets, leases) is { } selfWait)
        {
            Abandon(asking);
            return selfWait.For == TimeSpan.Zero ? null : selfWait;
        }

        var answers = await asking.ConfigureAwait(false);
        var longest = answers.MaxBy(a => a.Wait);
        if (longest.Wait > TimeSpan.Zero)
        {
            return (longest.Wait, longest.Reason!);
        }

        foreach (var target in targets)
        {
            if (!await RevokeAsync(target, _options.FencingMargin, cancellationToken).ConfigureAwait(false))
            {
                return (Poll, $"the lease of {target} was renewed while the gate checked");
            }
        }

        return null;
    }

    /// <summary>What the SE's own leases say: a wait while one is held or ran out less than the margin ago, zero when
    /// every one is revoked (it withdrew and can never hold an address again: peers' confirmations cannot lift a
    /// fence), null when the peers must be heard.</summary>
    private (TimeSpan For, string Reason)? SelfWait(ImmutableArray<SiloAddress> targets, SiloLeaseState[] leases)
    {
        var margin = _options.FencingMargin;
        for (var i = 0; i < targets.Length; i++)
        {
            var lease = leases[i];
            switch (lease.Kind)
            {
                case SiloLeaseKind.Held:
                    return (Min(lease.Remaining + margin, LeasePoll), $"the lease of {targets[i]} runs {lease.Remaining.TotalMilliseconds:0} ms more by the store's clock");
                case SiloLeaseKind.Expired when lease.ExpiredFor < margin:
                    return (margin - lease.ExpiredFor, $"the lease of {targets[i]} ran out only {lease.ExpiredFor.TotalMilliseconds:0} ms ago by the store's clock");
            }
        }

        return leases.All(l => l.Kind == SiloLeaseKind.Revoked) ? (TimeSpan.Zero, "every lease is revoked") : null;
    }

    private async Task<(TimeSpan Wait, string? Reason)> AskPeerAsync(SiloAddress peer, ImmutableArray<SiloAddress> targets, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SuspicionAfter * 2);
        try
        {
            var ages = await _client.For(peer).ReleaseConfirmationsAsync(targets, timeout.Token).ConfigureAwait(false);
            // The last confirmation happened at most `Since` before the answer arrived; the evidence it gave lasted W
            // from the ping's sending, which was earlier still.
            var wait = ages.Where(a => a.Since is not null).Select(a => _options.FencingWindow + _options.FencingMargin - a.Since!.Value).DefaultIfEmpty(TimeSpan.Zero).Max();
            return wait > TimeSpan.Zero ? (wait, $"silo {peer} confirmed it {(_options.FencingWindow + _options.FencingMargin - wait).TotalMilliseconds:0} ms ago") : (TimeSpan.Zero, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No answer: it counts as having confirmed just now, unless its lease shows it cannot confirm anyone.
            var lease = await ReadLeaseAsync(peer, cancellationToken).ConfigureAwait(false);
            var silentAfter = _options.PeerEvidenceLimit + _options.FencingWindow + _options.FencingMargin;
            return lease.Kind switch
            {
                SiloLeaseKind.Absent or SiloLeaseKind.Revoked => (TimeSpan.Zero, null),
                SiloLeaseKind.Expired when lease.ExpiredFor >= silentAfter => (TimeSpan.Zero, null),
                SiloLeaseKind.Expired => (Min(silentAfter - lease.ExpiredFor, Poll * 10), $"silo {peer} does not answer and may still confirm it for {(silentAfter - lease.ExpiredFor).TotalSeconds:0.0} s"),
                _ => (Poll, $"silo {peer} does not answer and holds a lease"),
            };
        }
    }

    private async Task<SiloLeaseState> ReadLeaseAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        try
        {
            return await _leases.ReadAsync(silo, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            throw new TakeoverGateUnavailableException($"The lease store could not be read, so whether {silo} has withdrawn its addresses is unknown: nothing moves.", ex);
        }
    }

    private async Task<bool> RevokeAsync(SiloAddress silo, TimeSpan margin, CancellationToken cancellationToken)
    {
        try
        {
            return await _leases.RevokeAsync(silo, margin, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            throw new TakeoverGateUnavailableException($"The lease of {silo} could not be revoked: nothing moves.", ex);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // The peers' answers are not needed this pass: their failure, if any, is observed here rather than left unobserved.
    private static void Abandon(Task asking) =>
        _ = asking.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
