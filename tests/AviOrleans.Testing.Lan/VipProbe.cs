using System.Net;
using AviOrleans.Netlink;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// A client probing a VIP from its namespace: a new TCP connection every <see cref="ProbeOptions.Interval"/> (10 ms),
/// each bounded by <see cref="ProbeOptions.AttemptTimeout"/>, recording when it started and ended and how (answered by
/// which host, refused, timed out...); and the client's neighbour entry for the VIP, followed through rtnetlink
/// notifications (the project's <see cref="NetlinkChangeMonitor"/> in the client's namespace). All times are
/// <see cref="LanTime"/>.
/// </summary>
public sealed class VipProbe : IAsyncDisposable
{
    private readonly LanClient _client;
    private readonly ProbeOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<ProbeAttempt> _attempts = [];
    private readonly List<NeighborObservation> _neighbors = [];
    private readonly List<Task> _inFlight = [];
    private readonly List<(Func<ProbeAttempt, bool> Match, TaskCompletionSource<ProbeAttempt> Completion)> _waiters = [];
    private readonly NetlinkChangeMonitor? _monitor;
    private readonly Task _loop;
    private readonly Task _watch;
    private long _sequence;

    private VipProbe(LanClient client, IPEndPoint target, ProbeOptions options)
    {
        _client = client;
        Target = target;
        _options = options;
        Started = LanTime.Now;
        if (options.WatchNeighbor)
        {
            // Join the group before the first attempt, so the entry's creation is seen too.
            _monitor = NetlinkChangeMonitor.Start(client.Namespace, neighbors: true);
            _watch = WatchAsync(_monitor);
        }
        else
        {
            _watch = Task.CompletedTask;
        }

        _loop = LoopAsync(_stop.Token);
    }

    /// <summary>The address and port probed.</summary>
    public IPEndPoint Target { get; }

    /// <summary>When probing began.</summary>
    public LanTime Started { get; }

    /// <summary>The finished attempts so far, in completion order.</summary>
    public IReadOnlyList<ProbeAttempt> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>The changes of the client's neighbour entry for the VIP so far.</summary>
    public IReadOnlyList<NeighborObservation> NeighborChanges
    {
        get
        {
            lock (_lock)
            {
                return [.. _neighbors];
            }
        }
    }

    /// <summary>Starts probing <paramref name="target"/> from <paramref name="client"/>.</summary>
    public static VipProbe Start(LanClient client, IPEndPoint target, ProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new ProbeOptions();
        options.Validate();
        return new VipProbe(client, target, options);
    }

    /// <summary>Waits for the first finished attempt matching <paramref name="match"/> (attempts already finished count).</summary>
    public async Task<ProbeAttempt> WaitForAsync(Func<ProbeAttempt, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var completion = new TaskCompletionSource<ProbeAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_attempts.Find(a => match(a)) is { } done)
            {
                return done;
            }

            _waiters.Add((match, completion));
        }

        try
        {
            return await completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No probe attempt to {Target} from {_client.Name} matched within {timeout.TotalSeconds:0.##} s. Last attempts: {Describe(Attempts.TakeLast(5))}", ex);
        }
        finally
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Completion == completion);
            }
        }
    }

    /// <summary>Waits until <paramref name="host"/> answers an attempt that started after <paramref name="after"/> (default: now).</summary>
    public Task<ProbeAttempt> WaitForAnswerAsync(string host, TimeSpan timeout, LanTime? after = null, CancellationToken cancellationToken = default)
    {
        var since = after ?? LanTime.Now;
        return WaitForAsync(a => a.IsAnsweredBy(host) && a.Started >= since, timeout, cancellationToken);
    }

    /// <summary>Stops starting attempts and waits for those in flight (each is bounded).</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        Task[] inFlight;
        lock (_lock)
        {
            inFlight = [.. _inFlight];
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        _monitor?.Dispose();
        await _watch.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>"+12.0 ms se1, +22.1 ms TimedOut, ..." relative to the first, for messages.</summary>
    public static string Describe(IEnumerable<ProbeAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var list = attempts.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Select(a => $"{a.Started.ToString(list[0].Started)} {(a.Outcome == ProbeOutcome.Answered ? a.AnsweredBy : a.Outcome.ToString())}"));
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        try
        {
            do
            {
                var attempt = AttemptAsync(Interlocked.Increment(ref _sequence) - 1);
                lock (_lock)
                {
                    _inFlight.RemoveAll(t => t.IsCompleted);
                    _inFlight.Add(attempt);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task AttemptAsync(long sequence)
    {
        var started = LanTime.Now;
        var result = await _client.ConnectAsync(Target, _options.AttemptTimeout).ConfigureAwait(false);
        var attempt = new ProbeAttempt(sequence, started, LanTime.Now, result.Outcome, result.Answer, result.Error);
        lock (_lock)
        {
            _attempts.Add(attempt);
            foreach (var (match, completion) in _waiters)
            {
                if (match(attempt))
                {
                    completion.TrySetResult(attempt);
                }
            }
        }
    }

    private async Task WatchAsync(NetlinkChangeMonitor monitor)
    {
        try
        {
            await foreach (var change in monitor.Changes.ReadAllAsync().ConfigureAwait(false))
            {
                if (change is NeighborChange { Neighbor: var entry } neighbor && entry.InterfaceName == LanNode.InterfaceName && entry.Address.Equals(Target.Address))
                {
                    var observation = new NeighborObservation(LanTime.Now, entry.Address, entry.LinkLayerAddress, _client.Lan.NodeWithMac(entry.LinkLayerAddress)?.Name, entry.State, neighbor.Removed);
                    lock (_lock)
                    {
                        _neighbors.Add(observation);
                    }
                }
            }
        }
        catch (NetlinkException)
        {
            // The namespace went away under the monitor (the LAN was disposed first): nothing more to watch.
        }
    }
}
