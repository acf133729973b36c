using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;
using Orleans.Storage;

namespace AviOrleans.Grains;

/// <summary>
/// Deciding: changes queue up; one decision at a time takes every queued change, validates them
/// together (one by one only when that finds a problem, so that a bad change is refused alone),
/// runs the engine once, and persists the result with one write. Only a persisted decision is
/// published (feed, virtual services) and driven to the SEs.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    private readonly Queue<Pending> _queue = new();
    private readonly CancellationTokenSource _deactivating = new();
    private ImmutableSortedDictionary<string, DateTimeOffset> _lastChanged = ImmutableSortedDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);
    private Task _deciding = Task.CompletedTask;

    private async Task<T> DecideAsync<T>(string kind, string name, Func<GroupConfig, Plan> plan, bool validateOnly)
    {
        if (validateOnly)
        {
            // Checked against the committed state in this turn; nothing is queued or written.
            var planned = plan(_config);
            if (planned.Change is { } change)
            {
                var verdict = ConfigurationValidator.Validate(change, _config.ToHaConfiguration(), Placement is null ? [] : [Placement]);
                if (!verdict.IsValid)
                {
                    throw DomainRules.ToException(verdict, kind, name);
                }
            }

            return (T)planned.Result!;
        }

        var pending = new Pending(kind, name, plan);
        _queue.Enqueue(pending);
        if (_deciding.IsCompleted)
        {
            _deciding = DecideQueuedAsync();
        }

        return (T)(await pending.Done.Task)!;
    }

    private async Task DecideQueuedAsync()
    {
        while (_queue.Count > 0)
        {
            var batch = new List<Pending>(_queue.Count);
            while (_queue.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await DecideBatchAsync(batch);
            }
            catch (Exception ex)
            {
                foreach (var item in batch)
                {
                    item.Done.TrySetException(ex);
                }
            }
        }
    }

    private async Task DecideBatchAsync(List<Pending> batch)
    {
        var committed = _config;
        var accepted = PlanTogether(committed, batch);
        if (accepted.Count == 0)
        {
            return;
        }

        var working = accepted[^1].After;
        var requests = accepted.Where(a => a.Plan.Request is not null).ToList();
        var now = _time.GetUtcNow();
        GroupPlacement? placement = null;
        EquatableArray<HaEvent> events = default;
        if (working.Group is { } group)
        {
            var result = PlacementEngine.Compute(new PlacementInput
            {
                Group = group,
                ServiceEngines = [.. working.Engines.Values],
                VirtualServices = [.. working.VirtualServices.Values],
                VsVips = [.. working.VsVips.Values],
                Previous = Placement,
                Requests = [.. requests.Select(r => r.Plan.Request!)],
                Now = now,
                ControllerProperties = _options.ControllerProperties,
            });
            for (var i = 0; i < requests.Count; i++)
            {
                if (result.Outcomes[i] is { Accepted: false } refused)
                {
                    // A refused request changes nothing (the engine left it out); the others stand.
                    requests[i].Item.Done.TrySetException(new HaOperationRejectedException($"{refused.Request.Describe()}: {refused.Reason}."));
                    accepted.Remove(requests[i]);
                }
            }

            placement = result.Placement;
            events = result.Events;
        }

        var previous = Placement;
        var changes = Diff(previous, placement, events, now, out var lastChanged);
        var nothingChanged = working == committed && ReferenceEquals(previous, placement);
        if (!nothingChanged)
        {
            var before = _state.State;
            _state.State = GroupState.From(working, placement, lastChanged);
            try
            {
                await _state.WriteStateAsync();
            }
            catch (InconsistentStateException ex)
            {
                // Another activation of this group wrote since this one read: this one is stale.
                // It sends nothing and goes away; the caller retries and reaches the live one.
                _state.State = before;
                DeactivateOnIdle();
                throw new HaStorageException($"{GroupKind} \"{Name}\" was changed by another activation; retry.", ex);
            }
            catch (Exception ex) when (ex is not HaStorageException)
            {
                _state.State = before;
                throw new HaStorageException($"The change to {GroupKind} \"{Name}\" could not be saved: {ex.Message}", ex);
            }

            _config = working;
            _lastChanged = lastChanged;
        }

        if (!nothingChanged)
        {
            // The SEs are driven first: a failover's orders must not wait for the feed (whose grain may have to be
            // activated again when it lived on the silo that just died).
            AfterCommit(previous, placement, events, now, committed, working);
        }

        var sequence = 0L;
        if (!changes.IsEmpty)
        {
            try
            {
                sequence = await GrainFactory.GetGrain<IPlacementFeedGrain>(HaRegistry.Key).AppendAsync(changes);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The decision stands (it is persisted); watchers resynchronise from a snapshot.
                GrainLog.FeedAppendFailed(_logger, Name, ex);
            }
        }

        var changed = changes.Where(c => c.Kind == PlacementChangeKind.Updated).Select(c => c.View!).ToArray();
        var outcome = new HaOperationResult(changed, [.. events], sequence);
        foreach (var (item, plan, _) in accepted)
        {
            item.Done.TrySetResult(plan.Result ?? outcome);
        }
    }

    /// <summary>Plans every change on the state the ones before it left; validates them together.</summary>
    private List<Accepted> PlanTogether(GroupConfig committed, List<Pending> batch)
    {
        var accepted = new List<Accepted>(batch.Count);
        var working = committed;
        var change = new ChangeBuilder();
        foreach (var item in batch)
        {
            Plan plan;
            try
            {
                plan = item.Plan(working);
            }
            catch (Exception ex)
            {
                item.Done.TrySetException(ex);
                continue;
            }

            if (plan.IsNothing)
            {
                item.Done.TrySetResult(plan.Result);
                continue;
            }

            if (plan.Change is { } c)
            {
                working = working.Apply(c);
                change.Add(c);
            }

            accepted.Add(new Accepted(item, plan, working));
        }

        if (change.IsEmpty)
        {
            return accepted;
        }

        var verdict = ConfigurationValidator.Validate(change.Build(working), committed.ToHaConfiguration(), Placement is null ? [] : [Placement]);
        if (verdict.IsValid)
        {
            return accepted;
        }

        // Something is wrong: decide one by one, so that only the bad changes are refused.
        var serial = new List<Accepted>(accepted.Count);
        working = committed;
        foreach (var (item, _, _) in accepted)
        {
            Plan plan;
            try
            {
                plan = item.Plan(working);
                if (plan.Change is { } c)
                {
                    var single = ConfigurationValidator.Validate(c, working.ToHaConfiguration(), Placement is null ? [] : [Placement]);
                    if (!single.IsValid)
                    {
                        throw DomainRules.ToException(single, item.Kind, item.Name);
                    }

                    working = working.Apply(c);
                }
            }
            catch (Exception ex)
            {
                item.Done.TrySetException(ex);
                continue;
            }

            serial.Add(new Accepted(item, plan, working));
        }

        return serial;
    }

    /// <summary>The placement changes for watchers: removals first, then every placement whose content changed.</summary>
    private ImmutableArray<PlacementChange> Diff(GroupPlacement? previous, GroupPlacement? next, EquatableArray<HaEvent> events, DateTimeOffset now, out ImmutableSortedDictionary<string, DateTimeOffset> lastChanged)
    {
        lastChanged = _lastChanged;
        if (ReferenceEquals(previous, next))
        {
            return [];
        }

        var groupEvents = events.Where(e => e.VsRef is null).ToArray();
        EquatableArray<HaEvent> EventsFor(string vs) => [.. events.Where(e => string.Equals(e.VsRef, vs, StringComparison.Ordinal)).Concat(groupEvents)];
        var removals = new List<PlacementChange>();
        var updates = new List<PlacementChange>();
        foreach (var old in previous?.VirtualServices ?? default)
        {
            if (next?.Find(old.VsRef) is null)
            {
                removals.Add(new PlacementChange(0, PlacementChangeKind.Removed, new PlacementView(Name, old, now), EventsFor(old.VsRef), now));
                lastChanged = lastChanged.Remove(old.VsRef);
            }
        }

        foreach (var vs in next?.VirtualServices ?? default)
        {
            if (previous?.Find(vs.VsRef) is { } before && before.Equals(vs))
            {
                continue;
            }

            lastChanged = lastChanged.SetItem(vs.VsRef, now);
            updates.Add(new PlacementChange(0, PlacementChangeKind.Updated, new PlacementView(Name, vs, now), EventsFor(vs.VsRef), now));
        }

        return [.. removals, .. updates];
    }

    private sealed record Pending(string Kind, string Name, Func<GroupConfig, Plan> Plan)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record Accepted(Pending Item, Plan Plan, GroupConfig After);

    /// <summary>The union of several changes, as one change from the committed state to the working one.</summary>
    private sealed class ChangeBuilder
    {
        private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
        private readonly HashSet<string> _engines = new(StringComparer.Ordinal);
        private readonly HashSet<string> _virtualServices = new(StringComparer.Ordinal);
        private readonly HashSet<string> _vsVips = new(StringComparer.Ordinal);

        public bool IsEmpty => _groups.Count + _engines.Count + _virtualServices.Count + _vsVips.Count == 0;

        public void Add(ConfigurationChange change)
        {
            _groups.UnionWith(change.UpsertServiceEngineGroups.Select(g => g.Name).Concat(change.DeleteServiceEngineGroups));
            _engines.UnionWith(change.UpsertServiceEngines.Select(s => s.Name).Concat(change.DeleteServiceEngines));
            _virtualServices.UnionWith(change.UpsertVirtualServices.Select(v => v.Name).Concat(change.DeleteVirtualServices));
            _vsVips.UnionWith(change.UpsertVsVips.Select(v => v.Name).Concat(change.DeleteVsVips));
        }

        public ConfigurationChange Build(GroupConfig working) => new()
        {
            UpsertServiceEngineGroups = working.Group is { } g && _groups.Contains(g.Name) ? [g] : default,
            DeleteServiceEngineGroups = [.. _groups.Where(n => working.Group is null || !string.Equals(working.Group.Name, n, StringComparison.Ordinal))],
            UpsertServiceEngines = [.. _engines.Where(working.Engines.ContainsKey).Select(n => working.Engines[n])],
            DeleteServiceEngines = [.. _engines.Where(n => !working.Engines.ContainsKey(n))],
            UpsertVirtualServices = [.. _virtualServices.Where(working.VirtualServices.ContainsKey).Select(n => working.VirtualServices[n])],
            DeleteVirtualServices = [.. _virtualServices.Where(n => !working.VirtualServices.ContainsKey(n))],
            UpsertVsVips = [.. _vsVips.Where(working.VsVips.ContainsKey).Select(n => working.VsVips[n])],
            DeleteVsVips = [.. _vsVips.Where(n => !working.VsVips.ContainsKey(n))],
        };
    }
}
