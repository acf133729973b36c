namespace AviOrleans.Runtime.Internal;

/// <summary>
/// A grain timer: each tick is queued to the activation as a turn, and the next tick is scheduled only when the
/// callback has finished, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly Lock _lock = new();
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _timer;
    private TimeSpan _period;
    private bool _isDisposed;

    public GrainTimer(Activation activation, TimeProvider time, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        Interleave = options.Interleave;
        KeepAlive = options.KeepAlive;
        _period = options.Period;
        _timer = time.CreateTimer(static s => ((GrainTimer)s!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(options.DueTime, Timeout.InfiniteTimeSpan);
    }

    public bool Interleave { get; }

    public bool KeepAlive { get; }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_isDisposed, this);
            _period = period;
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_isDisposed)
            {
                return;
            }

            _isDisposed = true;
        }

        _timer.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        _activation.RemoveTimer(this);
    }

    /// <summary>Runs the tick as a turn of the activation (called on the activation's scheduler).</summary>
    public Task RunOnActivationAsync() => _activation.RunTimerAsync(this);

    /// <summary>Runs the callback; called by the activation as a turn.</summary>
    public async Task RunAsync()
    {
        CancellationToken token;
        lock (_lock)
        {
            if (_isDisposed)
            {
                return;
            }

            token = _disposed.Token;
        }

        try
        {
            await _callback(token).ConfigureAwait(true);
        }
        finally
        {
            lock (_lock)
            {
                if (!_isDisposed && _period != Timeout.InfiniteTimeSpan)
                {
                    _timer.Change(_period, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private void OnTick()
    {
        lock (_lock)
        {
            if (_isDisposed)
            {
                return;
            }
        }

        _activation.EnqueueTimerTick(this);
    }
}
