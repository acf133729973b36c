using System.Collections.Concurrent;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Calls waiting for their outcome, by call id. A sweep on the silo's clock fails those past their deadline
/// with <see cref="GrainCallTimeoutException"/>; whoever completes a call removes it first, so an outcome
/// is delivered once.
/// </summary>
internal sealed class CallRegistry : IDisposable
{
    private readonly ConcurrentDictionary<long, IPendingCall> _calls = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _responseTimeout;
    private readonly long _timeoutTicks;
    private readonly ITimer _sweeper;
    private long _nextId;

    public CallRegistry(TimeProvider time, TimeSpan responseTimeout)
    {
        _time = time;
        _responseTimeout = responseTimeout;
        _timeoutTicks = (long)(responseTimeout.TotalSeconds * time.TimestampFrequency);

        // A tenth of the timeout keeps the overshoot small without sweeping needlessly often.
        var period = TimeSpan.FromTicks(Math.Clamp(responseTimeout.Ticks / 10, TimeSpan.FromMilliseconds(5).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _sweeper = time.CreateTimer(static s => ((CallRegistry)s!).Sweep(), this, period, period);
    }

    public int Count => _calls.Count;

    public void Register(IPendingCall call, object? via)
    {
        var id = Interlocked.Increment(ref _nextId);
        call.CallId = id;
        call.Via = via;
        if (call.Deadline == 0)
        {
            call.Deadline = _time.GetTimestamp() + _timeoutTicks;
        }

        _calls[id] = call;
    }

    public bool TryRemove(long callId, out IPendingCall call) => _calls.TryRemove(callId, out call!);

    public void Remove(IPendingCall call)
    {
        if (call.CallId != 0)
        {
            _calls.TryRemove(new KeyValuePair<long, IPendingCall>(call.CallId, call));
        }
    }

    /// <summary>Fails every waiting call that went out on <paramref name="via"/> (a connection that died).</summary>
    public void FailVia(object via, Func<Exception> exception)
    {
        foreach (var (id, call) in _calls)
        {
            if (ReferenceEquals(call.Via, via) && _calls.TryRemove(new KeyValuePair<long, IPendingCall>(id, call)))
            {
                call.OnFailure(exception());
            }
        }
    }

    /// <summary>Fails every waiting call.</summary>
    public void FailAll(Func<Exception> exception)
    {
        foreach (var (id, call) in _calls)
        {
            if (_calls.TryRemove(new KeyValuePair<long, IPendingCall>(id, call)))
            {
                call.OnFailure(exception());
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (id, call) in _calls)
        {
            if (now >= call.Deadline && _calls.TryRemove(new KeyValuePair<long, IPendingCall>(id, call)))
            {
                call.OnFailure(new GrainCallTimeoutException(
                    $"Response did not arrive on time ({_responseTimeout.TotalMilliseconds:0} ms) for {call.Describe()}; the call may or may not have run."));
            }
        }
    }
}
