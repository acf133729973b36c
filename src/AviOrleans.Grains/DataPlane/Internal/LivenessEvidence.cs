using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// The self-fence (README.md, "Fencing"): keeps the deadline until which this silo holds evidence of being a live
/// member, and fences the host when the deadline passes.
/// </summary>
/// <remarks>
/// <para>Evidence is stamped with the local monotonic time at which its request was <em>sent</em>, never later than the
/// moment the store or a peer vouched, and lasts the fencing window W from there. A lease renewal (the store) extends
/// the deadline and lifts a fence; peer confirmations only extend a deadline that has not passed, and only within
/// <see cref="DataPlaneOptions.PeerEvidenceLimit"/> of the last lease renewal: once fenced, only the store can let the
/// host own addresses again (a survivor that took them over has revoked the lease first).</para>
/// <para>Every transition happens on one dedicated thread, which sleeps until the deadline (not a thread-pool timer,
/// which a starved pool would delay). Fencing sets the flag that <see cref="MayAdd"/> reads inside
/// <see cref="HostGate"/>, then runs the fence action (deleting every marked address) on that thread; lifting waits for
/// a fence action in progress, so a delete listed before the lift never removes an address re-added after it.</para>
/// </remarks>
internal sealed partial class LivenessEvidence : IHostFence, IDisposable
{
    /// <summary>Longest sleep of the fence thread: it re-checks at least this often (and so follows a test clock).</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(50);

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _window;
    private readonly long _peerLimit;
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;
    private Action? _fenceAction;
    private long _deadline;
    private long _lastLeaseSentAt = long.MinValue;
    private bool _resumeRequested;
    private bool _fenced = true;
    private string? _permanentReason;
    private string _pendingReason = "the store has not confirmed the silo's lease yet";
    private HostFenceState _state;
    private int _disposed;

    public LivenessEvidence(IOptions<DataPlaneOptions> options, TimeProvider timeProvider, ILogger<LivenessEvidence> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _window = ToTicks(options.Value.FencingWindow);
        _peerLimit = ToTicks(options.Value.PeerEvidenceLimit);
        _state = new HostFenceState(true, timeProvider.GetUtcNow(), _pendingReason);
    }

    /// <inheritdoc/>
    public event Action<HostFenceState>? Changed;

    /// <summary>Raised with the new deadline (a <see cref="TimeProvider.GetTimestamp"/> value) whenever it moves
    /// while the host may own addresses: the guard process watches the same deadline.</summary>
    public event Action<long>? DeadlineChanged;

    /// <inheritdoc/>
    public HostFenceState State => Volatile.Read(ref _state);

    /// <summary>Held around every address add, so that no add lands after the fence flag is set.</summary>
    public SemaphoreSlim HostGate { get; } = new(1, 1);

    /// <summary>The current deadline, a <see cref="TimeProvider.GetTimestamp"/> value (meaningless while fenced).</summary>
    public long Deadline
    {
        get
        {
            lock (_lock)
            {
                return _fenced ? 0 : _deadline;
            }
        }
    }

    /// <summary>Starts the fence thread; <paramref name="fenceAction"/> removes every marked address (null: none to remove).</summary>
    public void Start(Action? fenceAction)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The fence is already running.");
        }

        _fenceAction = fenceAction;
        _thread = new Thread(Run) { IsBackground = true, Name = "avi self-fence" };
        _thread.Start();
    }

    /// <summary>True once the host is fenced for good (<see cref="FencePermanently"/>): no fence will lift again.</summary>
    public bool IsFencedForGood
    {
        get
        {
            lock (_lock)
            {
                return _permanentReason is not null;
            }
        }
    }

    /// <summary>True when an address may be added now: not fenced and the deadline ahead. Call inside <see cref="HostGate"/>.</summary>
    public bool MayAdd()
    {
        // _fenced is written inside HostGate; the deadline only ever grows while unfenced, so an older value read here
        // errs on the safe side.
        return !Volatile.Read(ref _fenced) && _timeProvider.GetTimestamp() < Volatile.Read(ref _deadline);
    }

    /// <summary>True while the host holds fresh evidence (used to decide whether to confirm a peer).</summary>
    public bool IsLive() => MayAdd();

    /// <summary>
    /// The store renewed (or acquired) this silo's lease on a request sent at <paramref name="sentAt"/>: the host may
    /// own addresses until <paramref name="sentAt"/> + W, and a fence lifts.
    /// </summary>
    /// <returns>False when the evidence came too late to count (its window has passed) or the host is fenced for good.</returns>
    public bool OnLeaseConfirmed(long sentAt)
    {
        var now = _timeProvider.GetTimestamp();
        long deadline;
        lock (_lock)
        {
            if (_permanentReason is not null)
            {
                return false;
            }

            _lastLeaseSentAt = Math.Max(_lastLeaseSentAt, sentAt);
            var candidate = sentAt + _window;
            if (candidate <= now)
            {
                return false;
            }

            Volatile.Write(ref _deadline, _fenced ? candidate : Math.Max(_deadline, candidate));
            if (_fenced)
            {
                _resumeRequested = true;
                _wake.Set();
                return true;
            }

            deadline = _deadline;
        }

        DeadlineChanged?.Invoke(deadline);
        return true;
    }

    /// <summary>
    /// Enough peers confirmed pings sent at or after <paramref name="sentAt"/>: extends the deadline to
    /// <paramref name="sentAt"/> + W, but only while it has not passed and within the peer-evidence limit of the last
    /// lease renewal. Never lifts a fence.
    /// </summary>
    public bool OnPeersConfirmed(long sentAt)
    {
        var now = _timeProvider.GetTimestamp();
        long deadline;
        lock (_lock)
        {
            if (_fenced || _permanentReason is not null || now >= _deadline || sentAt - _lastLeaseSentAt > _peerLimit)
            {
                return false;
            }

            var candidate = sentAt + _window;
            if (candidate <= _deadline)
            {
                return true;
            }

            Volatile.Write(ref _deadline, candidate);
            deadline = candidate;
        }

        DeadlineChanged?.Invoke(deadline);
        return true;
    }

    /// <summary>Fences the host for good (the silo is stopping, was declared dead, or its lease was revoked).</summary>
    public void FencePermanently(string reason)
    {
        lock (_lock)
        {
            _permanentReason ??= reason;
            _resumeRequested = false;
            Volatile.Write(ref _deadline, 0);
        }

        _wake.Set();
    }

    /// <summary>Waits until the fence thread has handled a permanent fence (the addresses are gone).</summary>
    public async Task WaitFencedAsync(CancellationToken cancellationToken)
    {
        while (!State.IsFenced)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _wake.Set();
        _thread?.Join();
        _wake.Dispose();
        _stopping.Dispose();
        HostGate.Dispose();
    }

    private void Run()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var fence = false;
            var lift = false;
            string reason;
            long deadline;
            // The gate first (it waits for an add in progress), then the evidence: after a fence is decided no add
            // reaches the kernel until it lifts.
            HostGate.Wait();
            try
            {
                lock (_lock)
                {
                    var now = _timeProvider.GetTimestamp();
                    deadline = _deadline;
                    if (!_fenced && (now >= _deadline || _permanentReason is not null))
                    {
                        fence = true;
                        reason = _permanentReason ?? $"no lease renewal or peer confirmation for the fencing window ({ToTimeSpan(_window).TotalMilliseconds:0} ms)";
                    }
                    else if (_fenced && _resumeRequested && _permanentReason is null && now < _deadline)
                    {
                        lift = true;
                        reason = "the store renewed the silo's lease";
                    }
                    else
                    {
                        reason = _pendingReason;
                    }

                    _resumeRequested &= !lift;
                    if (fence || lift)
                    {
                        Volatile.Write(ref _fenced, fence);
                        _pendingReason = reason;
                    }
                }
            }
            finally
            {
                HostGate.Release();
            }

            if (fence)
            {
                Fence(reason);
            }
            else if (lift)
            {
                Publish(new HostFenceState(false, _timeProvider.GetUtcNow(), reason));
                DeadlineChanged?.Invoke(deadline);
                Log.FenceLifted(_logger);
            }

            var sleep = MaxSleep;
            if (!_fenced)
            {
                var untilDeadline = ToTimeSpan(deadline - _timeProvider.GetTimestamp());
                sleep = untilDeadline < sleep ? untilDeadline : sleep;
            }

            if (sleep > TimeSpan.Zero)
            {
                // Rounded up: waking a millisecond early would only loop once more, but a millisecond late costs margin.
                _wake.WaitOne((int)Math.Ceiling(sleep.TotalMilliseconds));
            }
        }
    }

    private void Fence(string reason)
    {
        var started = _timeProvider.GetTimestamp();
        try
        {
            _fenceAction?.Invoke();
        }
#pragma warning disable CA1031 // The fence thread must survive a failed delete: the guard and the lifetimes remain.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.FenceActionFailed(_logger, ex);
        }

        Log.Fenced(_logger, reason, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        Publish(new HostFenceState(true, _timeProvider.GetUtcNow(), reason));
    }

    private void Publish(HostFenceState state)
    {
        Volatile.Write(ref _state, state);
        Changed?.Invoke(state);
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    private TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / _timeProvider.TimestampFrequency);
}
