using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// One activation of a grain: its message queue, its turn discipline, its lifecycle. Every decision about what
/// runs next is taken under <see cref="_lock"/>; the work itself runs on the activation's own scheduler.
/// Lifecycle: Created -> Activating (state read, OnActivateAsync) -> Valid -> Deactivating -> Invalid. Calls
/// that arrive while it deactivates are passed back to the router once it is gone, so they reach the next
/// activation (here or on the grain's new silo) and never two activations at once on this silo.
/// </summary>
internal sealed class Activation : IGrainActivationContext
{
    private static readonly Func<object?, Task> RunItemCallback = static item => item switch
    {
        GrainRequest request => ((Activation)request.Executor!).RunRequestAsync(request),
        GrainTimer timer => timer.RunOnActivationAsync(),
        ScheduledTurn turn => turn.RunOnActivationAsync(),
        _ => Task.CompletedTask,
    };

    private readonly Lock _lock = new();
    private readonly SiloRuntime _silo;
    private readonly GrainClassInfo _class;
    private readonly ActivationTaskScheduler _scheduler = new();
    private readonly Queue<object> _queue = new();
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<object>? _reroute;
    private List<IStateLoader>? _states;
    private List<GrainTimer>? _timers;
    private object? _grain;
    private ActivationState _state;
    private int _running;
    private bool _deactivationStarted;
    private bool _pendingDeactivation;
    private DeactivationReason _deactivationReason;
    private long _lastActivity;

    public Activation(SiloRuntime silo, GrainId grainId, GrainClassInfo grainClass)
    {
        _silo = silo;
        GrainId = grainId;
        _class = grainClass;
        _lastActivity = silo.Time.GetTimestamp();
    }

    private enum ActivationState
    {
        Created,
        Activating,
        Valid,
        Deactivating,
        Invalid,
    }

    public GrainId GrainId { get; }

    public IGrainFactory GrainFactory => _silo.GrainFactory;

    public SiloAddress SiloAddress => _silo.SiloAddress;

    public string SiloName => _silo.SiloName;

    public IClusterMembershipView Membership => _silo.View;

    public TimeProvider TimeProvider => _silo.Time;

    public IServiceProvider? Services => _silo.Options.Services;

    public GrainPlacementKind Placement => _class.Descriptor.Placement;

    /// <summary>Completes once the activation is gone.</summary>
    public Task Deactivated => _deactivated.Task;

    public bool IsValid
    {
        get
        {
            lock (_lock)
            {
                return _state == ActivationState.Valid;
            }
        }
    }

    public IPersistentState<TState> GetPersistentState<TState>(string stateName)
        where TState : new()
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        var state = new PersistentState<TState>(_silo.StateStore, _silo.Serializer, GrainId, stateName);
        lock (_lock)
        {
            if (_state != ActivationState.Activating || _grain is not null)
            {
                throw new InvalidOperationException("Persistent state is created while the grain is constructed, so that it is read before OnActivateAsync.");
            }

            (_states ??= []).Add(state);
        }

        return state;
    }

    public IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(options);
        var timer = new GrainTimer(this, _silo.Time, callback, options);
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                timer.Dispose();
                throw new InvalidOperationException("The activation is deactivating: it cannot start timers.");
            }

            (_timers ??= []).Add(timer);
        }

        return timer;
    }

    public void DeactivateOnIdle() => RequestDeactivation(DeactivationReason.Requested);

    /// <summary>Queues a call; false when the activation is gone (the caller must look it up again).</summary>
    public bool TryEnqueue(GrainRequest request)
    {
        request.Executor = this;
        bool activate = false;
        object? startNow = null;
        lock (_lock)
        {
            switch (_state)
            {
                case ActivationState.Invalid:
                    return false;
                case ActivationState.Deactivating:
                    (_reroute ??= []).Add(request);
                    return true;
                case ActivationState.Created:
                    _state = ActivationState.Activating;
                    activate = true;
                    _queue.Enqueue(request);
                    break;
                case ActivationState.Activating:
                    _queue.Enqueue(request);
                    break;
                default:
                    if (CanInterleave(request) || (_running == 0 && _queue.Count == 0))
                    {
                        _running++;
                        startNow = request;
                    }
                    else
                    {
                        _queue.Enqueue(request);
                    }

                    break;
            }

            _lastActivity = _silo.Time.GetTimestamp();
        }

        if (activate)
        {
            StartOnScheduler(static s => ((Activation)s!).ActivateAsync(), this);
        }
        else if (startNow is not null)
        {
            StartOnScheduler(RunItemCallback, startNow);
        }

        return true;
    }

    public void EnqueueTimerTick(GrainTimer timer)
    {
        bool startNow = false;
        lock (_lock)
        {
            if (_state != ActivationState.Valid)
            {
                return;
            }

            if (timer.KeepAlive)
            {
                _lastActivity = _silo.Time.GetTimestamp();
            }

            if (timer.Interleave || (_running == 0 && _queue.Count == 0))
            {
                _running++;
                startNow = true;
            }
            else
            {
                _queue.Enqueue(timer);
            }
        }

        if (startNow)
        {
            StartOnScheduler(RunItemCallback, timer);
        }
    }

    public Task RunAsTurnAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var turn = new ScheduledTurn(this, work);
        bool startNow = false;
        lock (_lock)
        {
            if (_state is not (ActivationState.Valid or ActivationState.Activating))
            {
                turn.Cancel(new InvalidOperationException($"The activation of {GrainId} is not active; it cannot run more turns."));
                return turn.Completion;
            }

            // While activating (e.g. an observer subscribed in OnActivateAsync is called at once) it waits its turn.
            if (_state == ActivationState.Valid && _running == 0 && _queue.Count == 0)
            {
                _running++;
                startNow = true;
            }
            else
            {
                _queue.Enqueue(turn);
            }
        }

        if (startNow)
        {
            StartOnScheduler(RunItemCallback, turn);
        }

        return turn.Completion;
    }

    internal async Task RunScheduledTurnAsync(ScheduledTurn turn)
    {
        await turn.RunAsync().ConfigureAwait(true);
        if (turn.Completion.Exception?.InnerException is InconsistentStateException)
        {
            RequestDeactivation(DeactivationReason.InconsistentState);
        }

        OnItemFinished();
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers?.Remove(timer);
        }
    }

    /// <summary>Deactivates once no call is running; calls queued or arriving meanwhile go to the next activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        bool start = false;
        bool finishNow = false;
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                return;
            }

            _deactivationReason = reason;
            switch (_state)
            {
                case ActivationState.Created:
                    _state = ActivationState.Invalid;
                    finishNow = true;
                    break;
                case ActivationState.Activating:
                    // ActivateAsync sees this when it is done and deactivates at once.
                    _pendingDeactivation = true;
                    return;
                default:
                    _state = ActivationState.Deactivating;
                    start = TryBeginDeactivationLocked();
                    break;
            }
        }

        if (finishNow)
        {
            Finish([]);
        }
        else if (start)
        {
            StartOnScheduler(static s => ((Activation)s!).DeactivateAsync(), this);
        }
    }

    /// <summary>True when it had no call for <paramref name="idleTicks"/> and nothing is queued or running.</summary>
    public bool IsIdle(long now, long idleTicks)
    {
        lock (_lock)
        {
            return _state == ActivationState.Valid && _running == 0 && _queue.Count == 0 && now - _lastActivity >= idleTicks;
        }
    }

    /// <summary>The crash path: drop everything without running grain code (the silo is being killed).</summary>
    public void Abandon(Exception reason)
    {
        List<object> items;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            items = [.. _queue, .. _reroute ?? []];
            _queue.Clear();
            _reroute = null;
        }

        DisposeTimers();
        foreach (var item in items)
        {
            if (item is GrainRequest request)
            {
                _silo.Calls.Remove(request);
                request.Fail(reason);
            }
            else if (item is ScheduledTurn turn)
            {
                turn.Cancel(reason);
            }
        }

        _deactivated.TrySetResult();
    }

    private static bool IsInterleaving(object item, GrainClassInfo grainClass) => item switch
    {
        GrainRequest request => request.AlwaysInterleave || grainClass.IsReentrant,
        GrainTimer timer => timer.Interleave,
        _ => false,
    };

    private bool CanInterleave(GrainRequest request) => request.AlwaysInterleave || _class.IsReentrant;

    private void StartOnScheduler(Func<object?, Task> work, object state) =>
        _ = Task.Factory.StartNew(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler);

    private async Task ActivateAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_silo.Options.Collection.ActivationTimeout, _silo.Time);
            if (_class.Descriptor.Placement == GrainPlacementKind.Hash)
            {
                await _silo.AwaitPreviousOwnerAsync(GrainId).ConfigureAwait(true);
            }

            var grain = ActivationContextScope.Create(this, _class.Factory);
            List<IStateLoader>? states;
            lock (_lock)
            {
                states = _states;
            }

            foreach (var state in states ?? [])
            {
                await state.ReadStateAsync(timeout.Token).ConfigureAwait(true);
            }

            lock (_lock)
            {
                _grain = grain;
            }

            if (grain is Grain g)
            {
                await g.OnActivateAsync(timeout.Token).ConfigureAwait(true);
            }
        }
        catch (Exception ex)
        {
            Log.ActivationFailed(_silo.Logger, GrainId, ex);
            List<object> failed;
            lock (_lock)
            {
                _state = ActivationState.Invalid;
                failed = [.. _queue];
                _queue.Clear();
            }

            DisposeTimers();
            _silo.Catalog.Remove(this);
            foreach (var item in failed)
            {
                if (item is GrainRequest request)
                {
                    _silo.Calls.Remove(request);
                    request.Fail(ex);
                }
                else if (item is ScheduledTurn turn)
                {
                    turn.Cancel(ex);
                }
            }

            _deactivated.TrySetResult();
            return;
        }

        List<object> start;
        bool deactivate = false;
        lock (_lock)
        {
            _state = ActivationState.Valid;
            if (_pendingDeactivation)
            {
                _state = ActivationState.Deactivating;
                deactivate = TryBeginDeactivationLocked();
                start = [];
            }
            else
            {
                start = TakeRunnableLocked();
            }
        }

        if (deactivate)
        {
            await DeactivateAsync().ConfigureAwait(true);
            return;
        }

        foreach (var item in start)
        {
            StartOnScheduler(RunItemCallback, item);
        }
    }

    private async Task RunRequestAsync(GrainRequest request)
    {
        Exception? failure = null;
        try
        {
            await request.InvokeAsync(_grain!).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        _silo.Calls.Remove(request);
        if (failure is null)
        {
            request.Complete();
        }
        else
        {
            request.Fail(failure);

            // A stale ETag means another activation wrote newer state: this one must not go on (Orleans does the same).
            if (failure is InconsistentStateException)
            {
                RequestDeactivation(DeactivationReason.InconsistentState);
            }
        }

        OnItemFinished();
    }

    internal async Task RunTimerAsync(GrainTimer timer)
    {
        try
        {
            await timer.RunAsync().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // As in Orleans, a failing tick is logged and the schedule goes on.
            Log.TimerFailed(_silo.Logger, GrainId, ex);
            if (ex is InconsistentStateException)
            {
                RequestDeactivation(DeactivationReason.InconsistentState);
            }
        }

        OnItemFinished();
    }

    private void OnItemFinished()
    {
        List<object> start;
        bool deactivate = false;
        lock (_lock)
        {
            _running--;
            if (_state == ActivationState.Deactivating)
            {
                deactivate = TryBeginDeactivationLocked();
                start = [];
            }
            else
            {
                start = TakeRunnableLocked();
            }
        }

        if (deactivate)
        {
            StartOnScheduler(static s => ((Activation)s!).DeactivateAsync(), this);
        }

        foreach (var item in start)
        {
            StartOnScheduler(RunItemCallback, item);
        }
    }

    /// <summary>Takes, in order, what may start now: interleaving items always, one exclusive item when nothing runs.</summary>
    private List<object> TakeRunnableLocked()
    {
        List<object>? start = null;
        while (_queue.TryPeek(out var head))
        {
            if (IsInterleaving(head, _class) || _running == 0)
            {
                _queue.Dequeue();
                _running++;
                (start ??= []).Add(head);
            }
            else
            {
                break;
            }
        }

        return start ?? [];
    }

    private bool TryBeginDeactivationLocked()
    {
        if (_running > 0 || _deactivationStarted)
        {
            return false;
        }

        _deactivationStarted = true;
        return true;
    }

    private async Task DeactivateAsync()
    {
        DisposeTimers();
        if (_grain is Grain grain)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_silo.Options.Collection.DeactivationTimeout, _silo.Time);
                await grain.OnDeactivateAsync(_deactivationReason, timeout.Token)
                    .WaitAsync(_silo.Options.Collection.DeactivationTimeout, _silo.Time).ConfigureAwait(true);
            }
            catch (Exception ex)
            {
                // Deactivation is best effort, as in Orleans: the activation goes away regardless.
                Log.DeactivationFailed(_silo.Logger, GrainId, ex);
            }
        }

        List<object> reroute;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            reroute = [.. _queue, .. _reroute ?? []];
            _queue.Clear();
            _reroute = null;
        }

        Finish(reroute);
    }

    private void Finish(List<object> reroute)
    {
        _silo.Catalog.Remove(this);
        foreach (var item in reroute)
        {
            if (item is GrainRequest request)
            {
                _silo.Reroute(request);
            }
            else if (item is ScheduledTurn turn)
            {
                turn.Cancel(new InvalidOperationException($"The activation of {GrainId} was deactivated before the turn ran."));
            }
        }

        _deactivated.TrySetResult();
    }

    private void DisposeTimers()
    {
        List<GrainTimer> timers;
        lock (_lock)
        {
            timers = [.. _timers ?? []];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }
}
