using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>
/// Today's <see cref="IHaControlPlane"/>: the configuration and placements live in this process's
/// memory, optionally saved to a JSON state file after every change (see <see cref="Open"/>),
/// placement runs on the domain engine, and changes are serialized by one gate. The HA grains
/// replace it; the gateway does not change.
/// </summary>
public sealed partial class InMemoryHaControlPlane : IHaControlPlane, IAsyncDisposable
{
    /// <summary>Avi's object names, used in messages and violation paths.</summary>
    internal const string GroupKind = "serviceenginegroup";
    internal const string EngineKind = "serviceengine";
    internal const string VirtualServiceKind = "virtualservice";
    internal const string VsVipKind = "vsvip";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ChangeLog<PlacementChange> _log;
    private readonly ITimer _drainTimer;
    private readonly CancellationTokenSource _disposed = new();
    private StateFile? _stateFile;
    private ControlPlaneState _state = ControlPlaneState.Empty;
    private readonly Lock _tickLock = new();
    private Task _tick = Task.CompletedTask;

    /// <summary>Creates an empty control plane.</summary>
    /// <param name="timeProvider">The clock (placement drains end at deadlines). Default: the system clock.</param>
    /// <param name="changeLogCapacity">How many placement changes a watch can resume across. Default: 4096.</param>
    public InMemoryHaControlPlane(TimeProvider? timeProvider = null, int changeLogCapacity = 4096)
    {
        _time = timeProvider ?? TimeProvider.System;

        // Sequences start at the clock in microseconds, so that the resume point a client got from
        // an earlier process (lower) is refused and answered with a snapshot, never misread.
        _log = new ChangeLog<PlacementChange>(changeLogCapacity, Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds()) * 1000);
        _drainTimer = _time.CreateTimer(_ => OnDrainTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A control plane whose state is saved to <paramref name="stateFile"/> after every change (a
    /// change is acknowledged only once saved) and loaded from it when it exists.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid state.</exception>
    public static InMemoryHaControlPlane Open(string stateFile, TimeProvider? timeProvider = null, int changeLogCapacity = 4096)
    {
        var file = new StateFile(stateFile);
        var loaded = file.Load();
        var controlPlane = new InMemoryHaControlPlane(timeProvider, changeLogCapacity) { _stateFile = file };
        if (loaded is not null)
        {
            controlPlane._state = loaded;
            controlPlane.ScheduleDrainTimer(loaded);
        }

        return controlPlane;
    }

    /// <summary>The state file, when the state is saved to one.</summary>
    public string? StateFilePath => _stateFile?.Path;

    /// <summary>The change log's head: the sequence of the last placement change.</summary>
    public long Sequence => _log.Head;

    private ControlPlaneState State => Volatile.Read(ref _state);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _drainTimer.DisposeAsync();
        Task tick;
        lock (_tickLock)
        {
            tick = _tick;
        }

        await tick.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _disposed.Dispose();
        _gate.Dispose();
    }

    /// <inheritdoc/>
    public async Task<HaOperationResult> RequestAsync(string seGroupRef, PlacementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (_, result) = await MutateAsync(
            config =>
            {
                var group = FindGroup(config, seGroupRef);
                CheckRequestTargets(config, group.Name, request);
                return new Mutation<string>(null, group.Name, [group.Name], GroupKind, group.Name, request, group.Name);
            },
            validateOnly: false,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task<HaOperationResult> ReportServiceEngineStateAsync(string name, OperState operState, CancellationToken cancellationToken)
    {
        var (_, result) = await MutateAsync(
            config =>
            {
                var se = FindEngine(config, name);
                return new Mutation<ServiceEngine>(Upsert(se with { OperState = operState }), se, [se.SeGroupRef], EngineKind, name);
            },
            validateOnly: false,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public Task<GroupPlacement> GetGroupPlacementAsync(string seGroupRef, CancellationToken cancellationToken)
    {
        var state = State;
        FindGroup(state.Configuration, seGroupRef);
        return Task.FromResult(state.Placements[seGroupRef]);
    }

    /// <inheritdoc/>
    public Task<PlacementView> GetVirtualServicePlacementAsync(string name, CancellationToken cancellationToken)
    {
        var state = State;
        FindVirtualService(state.Configuration, name);
        return Task.FromResult(state.ViewOf(name) ?? throw new InvalidOperationException($"Virtual service '{name}' has no placement record."));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PlacementView>> ListVirtualServicePlacementsAsync(string? seGroupRef, CancellationToken cancellationToken)
    {
        var state = State;
        if (seGroupRef is not null)
        {
            FindGroup(state.Configuration, seGroupRef);
        }

        return Task.FromResult<IReadOnlyList<PlacementView>>([.. state.Views(seGroupRef)]);
    }

    /// <summary>
    /// Runs one change under the gate: builds it on the current configuration, validates the
    /// result (a bad change changes nothing), re-places the groups it touches (and carries out its
    /// operation), then publishes the new state and appends the placement changes to the log.
    /// </summary>
    private async Task<(T Result, HaOperationResult Outcome)> MutateAsync<T>(
        Func<HaConfiguration, Mutation<T>> build,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = State;
            var mutation = build(state.Configuration);
            var configuration = state.Configuration;
            if (mutation.Change is { } change)
            {
                var verdict = DomainRules.Validate(change, state);
                if (!verdict.IsValid)
                {
                    throw DomainRules.ToException(verdict, mutation.ObjectKind, mutation.ObjectName);
                }

                if (verdict.ChangesNothing && mutation.Request is null)
                {
                    return (mutation.Result, new HaOperationResult([], [], _log.Head));
                }

                configuration = verdict.Proposed;
            }

            if (validateOnly)
            {
                return (mutation.Result, new HaOperationResult([], [], _log.Head));
            }

            var (next, changes, events) = Place(state, configuration, mutation.Groups, mutation.Request, mutation.RequestGroup);
            var now = _time.GetUtcNow();

            // Durable before visible: if the state cannot be saved, the change fails and nothing changed.
            try
            {
                _stateFile?.Save(next);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new HaStorageException($"The change could not be saved to {_stateFile!.Path}: {ex.Message}", ex);
            }
            Volatile.Write(ref _state, next);
            var sequence = _log.Append([.. changes.Select(c => (Func<long, PlacementChange>)(seq => new PlacementChange(seq, c.Kind, c.View, c.Events, now)))]);
            ScheduleDrainTimer(next);
            var changed = changes.Where(c => c.Kind == PlacementChangeKind.Updated).Select(c => c.View).ToArray();
            return (mutation.Result, new HaOperationResult(changed, events, sequence));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Re-places <paramref name="groups"/> on <paramref name="configuration"/> and diffs the result
    /// against the previous placements: removals first (a virtual service that moved between
    /// groups leaves one, then appears in the other), then every placement that changed.
    /// </summary>
    private (ControlPlaneState Next, List<(PlacementChangeKind Kind, PlacementView View, EquatableArray<HaEvent> Events)> Changes, List<HaEvent> Events) Place(
        ControlPlaneState state,
        HaConfiguration configuration,
        IEnumerable<string> groups,
        PlacementRequest? request,
        string? requestGroup)
    {
        var now = _time.GetUtcNow();
        var placements = state.Placements;
        var lastChanged = state.LastChanged;
        var removals = new List<(PlacementChangeKind, PlacementView, EquatableArray<HaEvent>)>();
        var updates = new List<(PlacementChangeKind, PlacementView, EquatableArray<HaEvent>)>();
        var allEvents = new List<HaEvent>();
        foreach (var groupName in groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var previous = placements.GetValueOrDefault(groupName);
            if (!configuration.ServiceEngineGroups.Any(g => string.Equals(g.Name, groupName, StringComparison.Ordinal)))
            {
                placements = placements.Remove(groupName);
                continue;
            }

            PlacementRequest[] requests = request is not null && string.Equals(groupName, requestGroup, StringComparison.Ordinal) ? [request] : [];
            var result = DomainRules.Compute(PlacementInput.ForGroup(configuration, groupName, previous, now, requests));
            var refused = result.Outcomes.FirstOrDefault(o => !o.Accepted);
            if (refused is not null)
            {
                throw new HaOperationRejectedException($"{refused.Request.Describe()}: {refused.Reason}.");
            }

            var placement = result.Placement;
            placements = placements.SetItem(groupName, placement);
            allEvents.AddRange(result.Events);
            var groupEvents = result.Events.Where(e => e.VsRef is null).ToArray();
            foreach (var old in previous?.VirtualServices ?? default)
            {
                if (placement.Find(old.VsRef) is null)
                {
                    removals.Add((PlacementChangeKind.Removed, new PlacementView(groupName, old, now), EventsFor(result.Events, groupEvents, old.VsRef)));
                }
            }

            foreach (var vs in placement.VirtualServices)
            {
                if (previous?.Find(vs.VsRef) is { } before && before.Equals(vs))
                {
                    continue;
                }

                lastChanged = lastChanged.SetItem(vs.VsRef, now);
                updates.Add((PlacementChangeKind.Updated, new PlacementView(groupName, vs, now), EventsFor(result.Events, groupEvents, vs.VsRef)));
            }
        }

        // Forget the change times of virtual services that no longer exist anywhere.
        var existing = configuration.VirtualServices.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        lastChanged = lastChanged.RemoveRange(lastChanged.Keys.Where(k => !existing.Contains(k)).ToArray());
        removals.AddRange(updates);
        return (new ControlPlaneState(configuration, placements, lastChanged), removals, allEvents);
    }

    private static EquatableArray<HaEvent> EventsFor(EquatableArray<HaEvent> all, HaEvent[] groupEvents, string vsRef) =>
        [.. all.Where(e => string.Equals(e.VsRef, vsRef, StringComparison.Ordinal)).Concat(groupEvents)];

    // Drains end at deadlines: the engine drops a draining placement when it runs at or after its
    // deadline, so the control plane re-runs the groups concerned then.
    private void ScheduleDrainTimer(ControlPlaneState state)
    {
        var next = state.Placements.Values.Select(g => g.GetNextDeadline()).Where(d => d is not null).Min();
        if (next is null || _disposed.IsCancellationRequested)
        {
            return;
        }

        var due = next.Value - _time.GetUtcNow();
        _drainTimer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void OnDrainTimer()
    {
        // Ticks run one after the other; the lock keeps two timer callbacks from racing on the chain.
        lock (_tickLock)
        {
            if (!_disposed.IsCancellationRequested)
            {
                _tick = _tick.ContinueWith(_ => EndDrainsAsync(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
        }
    }

    private async Task EndDrainsAsync()
    {
        try
        {
            await EndDrainsAsync(_disposed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Shutting down: the drains end with the process.
        }
        catch (ObjectDisposedException) when (_disposed.IsCancellationRequested)
        {
            // Same: the gate was disposed under us.
        }
    }

    private async Task EndDrainsAsync(CancellationToken cancellationToken) =>
        await MutateAsync(
            config =>
            {
                var now = _time.GetUtcNow();
                var due = State.Placements.Values
                    .Where(g => g.VirtualServices.Any(v => v.SeList.Any(e => e.DeleteInProgress && e.DrainDeadline <= now)))
                    .Select(g => g.SeGroupRef)
                    .ToArray();
                return new Mutation<int>(null, due.Length, due, GroupKind, string.Empty);
            },
            validateOnly: false,
            cancellationToken).ConfigureAwait(false);

    private static void CheckRequestTargets(HaConfiguration config, string group, PlacementRequest request)
    {
        var (vs, se) = request switch
        {
            VsSwitchoverRequest r => (r.VsRef, (string?)null),
            MigrateRequest r => (r.VsRef, r.ToSeRef ?? r.FromSeRef),
            ScaleOutRequest r => (r.VsRef, r.ToSeRef),
            ScaleInRequest r => (r.VsRef, r.FromSeRef),
            SeSwitchoverRequest r => ((string?)null, r.SeRef),
            _ => (null, null),
        };
        if (vs is not null && !string.Equals(FindVirtualService(config, vs).SeGroupRef, group, StringComparison.Ordinal))
        {
            throw new HaOperationRejectedException($"{VirtualServiceKind} \"{vs}\" is not in {GroupKind} \"{group}\".");
        }

        if (request is MigrateRequest m)
        {
            foreach (var name in new[] { m.FromSeRef, m.ToSeRef }.OfType<string>())
            {
                CheckEngineInGroup(config, group, name);
            }
        }
        else if (se is not null)
        {
            CheckEngineInGroup(config, group, se);
        }
    }

    private static void CheckEngineInGroup(HaConfiguration config, string group, string name)
    {
        if (!string.Equals(FindEngine(config, name).SeGroupRef, group, StringComparison.Ordinal))
        {
            throw new HaOperationRejectedException($"{EngineKind} \"{name}\" is not in {GroupKind} \"{group}\".");
        }
    }

    private static ConfigurationChange Upsert(ServiceEngine engine) => new() { UpsertServiceEngines = [engine] };

    private static ServiceEngineGroup FindGroup(HaConfiguration config, string name) =>
        config.ServiceEngineGroups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal))
        ?? throw new HaObjectNotFoundException(GroupKind, name);

    private static ServiceEngine FindEngine(HaConfiguration config, string name) =>
        config.ServiceEngines.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal))
        ?? throw new HaObjectNotFoundException(EngineKind, name);

    private static VirtualService FindVirtualService(HaConfiguration config, string name) =>
        config.VirtualServices.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal))
        ?? throw new HaObjectNotFoundException(VirtualServiceKind, name);

    private static VsVip FindVsVip(HaConfiguration config, string name) =>
        config.VsVips.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal))
        ?? throw new HaObjectNotFoundException(VsVipKind, name);

    private static void CheckExpected<T>(T current, T expected, string kind, string name)
        where T : class
    {
        if (!current.Equals(expected))
        {
            throw new HaConflictException($"{kind} \"{name}\" was changed by someone else since it was read; read it again and retry.");
        }
    }

    private static IEnumerable<T> ByName<T>(IEnumerable<T> items, Func<T, string> nameOf) => items.OrderBy(nameOf, StringComparer.Ordinal);

    private static ImmutableArray<string> GroupsOfVsVip(HaConfiguration config, string vsVip) =>
        [.. config.VirtualServices.Where(v => string.Equals(v.VsvipRef, vsVip, StringComparison.Ordinal)).Select(v => v.SeGroupRef).Distinct(StringComparer.Ordinal)];
}
