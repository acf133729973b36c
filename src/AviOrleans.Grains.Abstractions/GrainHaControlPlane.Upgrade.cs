using System.Runtime.CompilerServices;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// Rolling upgrade of a group, driven step by step by the domain's <see cref="RollingUpgradePlanner"/>
/// over the group grain: legacy pairs switch actives to the peer first, elastic groups disable the
/// SE so that its virtual services migrate away (with their drain), then the SE is marked upgrading, its silo is
/// asked to restart (it exits for its supervisor to start the installed version), and the upgrade waits, within
/// <see cref="UpgradeLeaseTime"/>, for a new incarnation of that silo to answer at the target version before it
/// enables the SE again. An SE that does not come back, or comes back at another version, failed its upgrade
/// (<c>action_on_error</c> says whether the group's upgrade goes on). Where SEs are not silos of this cluster
/// (<see cref="ServiceEngineIncarnation"/> cannot be asked), nothing here can restart one: the version is recorded.
/// </summary>
public sealed partial class GrainHaControlPlane
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<UpgradeReport> UpgradeServiceEngineGroupAsync(
        string seGroupRef,
        SeUpgradeParams options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.TargetVersion))
        {
            throw new HaValidationException("version", "The version to upgrade to is required.");
        }

        var groupGrain = Group(seGroupRef);
        var group = (await groupGrain.GetAsync().WaitAsync(cancellationToken)).Name;
        var upgradeId = Guid.NewGuid();
        await groupGrain.AcquireUpgradeAsync(upgradeId, UpgradeLease).WaitAsync(cancellationToken);
        try
        {
            await foreach (var report in UpgradeAsync(groupGrain, group, upgradeId, options, cancellationToken))
            {
                yield return report;
            }
        }
        finally
        {
            await groupGrain.ReleaseUpgradeAsync(upgradeId);
        }
    }

    /// <summary>How long a rolling upgrade holds its group's lease between two steps. Default: 2 minutes.</summary>
    public TimeSpan UpgradeLease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Avi's <c>upgrade_lease_time</c>: how long an SE may take to come back after its upgrade restart before it
    /// counts as failed. Default: 600 seconds.</summary>
    public TimeSpan UpgradeLeaseTime { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>
    /// The SE whose silo this control plane runs in (a gateway co-hosted in an SE's silo), or null. An upgrade driven
    /// from here stops (suspended, nothing failed) when that SE's turn comes, since restarting it would end the upgrade
    /// with the process: continue it from another gateway, and it resumes where it stopped.
    /// </summary>
    public string? LocalServiceEngine { get; init; }

    /// <summary>How often the upgrade asks a restarting SE whether its new incarnation answers. Default: 500 ms.</summary>
    public TimeSpan UpgradePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    private async IAsyncEnumerable<UpgradeReport> UpgradeAsync(
        IServiceEngineGroupGrain groupGrain,
        string group,
        Guid upgradeId,
        SeUpgradeParams options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var engines = await groupGrain.ListServiceEnginesAsync().WaitAsync(cancellationToken);
        var total = engines.Count(s => !string.Equals(s.Version, options.TargetVersion, StringComparison.Ordinal) && s.OperState == OperState.Up);
        var completed = 0;
        UpgradeReport Report(UpgradeReportKind kind, string? se, string description, IReadOnlyList<PlacementView>? changed = null) =>
            new(kind, group, se, completed, total, description, changed ?? []);

        yield return Report(UpgradeReportKind.Started, null, $"upgrading {total} service engine(s) of {group} to {options.TargetVersion}, one at a time");

        // Each SE takes a handful of steps (prepare, drain waits, upgrade, enable); the bound only
        // stops a planner that no longer makes progress.
        var maxSteps = 20 * (engines.Length + 1);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < maxSteps; i++)
        {
            await Again(() => groupGrain.AcquireUpgradeAsync(upgradeId, UpgradeLease), cancellationToken);
            var config = await Again(() => groupGrain.GetAsync(), cancellationToken);

            // An SE that failed its upgrade (CONTINUE_UPGRADE_OPS_ON_ERROR) is left as it is.
            var ses = (await Again(() => groupGrain.ListServiceEnginesAsync(), cancellationToken)).Where(s => !failed.Contains(s.Name)).ToArray();
            var placement = await Again(() => groupGrain.GetPlacementAsync(), cancellationToken);
            var step = RollingUpgradePlanner.NextStep(config, ses, placement, options);
            switch (step.Kind)
            {
                case UpgradeStepKind.Done:
                    yield return Report(UpgradeReportKind.Completed, null, step.Description);
                    yield break;

                case UpgradeStepKind.Suspended:
                    yield return Report(UpgradeReportKind.SeFailed, step.SeRef, step.Description);
                    yield return Report(UpgradeReportKind.Suspended, step.SeRef, step.Description);
                    yield break;

                case UpgradeStepKind.SwitchoverSe:
                    var switched = await Again(() => groupGrain.RequestAsync(new SeSwitchoverRequest { SeRef = step.SeRef! }), cancellationToken);
                    yield return Report(UpgradeReportKind.Preparing, step.SeRef, step.Description, switched.Changed);
                    break;

                case UpgradeStepKind.DisableForMigration:
                    await SetEngineAsync(groupGrain, step.SeRef!, se => se with { EnableState = SeEnableState.Disabled, DisabledForUpgrade = true }, cancellationToken);
                    yield return Report(UpgradeReportKind.Preparing, step.SeRef, step.Description);
                    break;

                case UpgradeStepKind.Wait:
                    if (!await WaitForDrainsAsync(groupGrain, step.SeRef, placement, cancellationToken))
                    {
                        var stuck = $"the upgrade cannot go on: {step.Description}";
                        yield return Report(UpgradeReportKind.SeFailed, step.SeRef, stuck);
                        yield return Report(UpgradeReportKind.Suspended, step.SeRef, stuck);
                        yield break;
                    }

                    break;

                case UpgradeStepKind.StartUpgrade when string.Equals(step.SeRef, LocalServiceEngine, StringComparison.Ordinal):
                    yield return Report(UpgradeReportKind.Suspended, step.SeRef, $"{step.SeRef}'s silo runs this upgrade (its gateway serves the call): restarting it would end the upgrade; call UpgradeServiceEngineGroup again on another gateway (aviorleans-silo gateway, or a silo that is no SE of {group}) to continue from here");
                    yield break;

                case UpgradeStepKind.StartUpgrade:
                    var name = step.SeRef!;
                    var down = await Again(() => groupGrain.ReportServiceEngineStateAsync(name, OperState.Upgrading, _time.GetUtcNow(), "upgrading"), cancellationToken);
                    yield return Report(UpgradeReportKind.SeStarted, name, step.Description, down.Changed);
                    var outcome = new EngineUpgrade(OperState.Down, null, "the upgrade was stopped while the service engine restarted");
                    HaOperationResult back;
                    try
                    {
                        outcome = await RestartEngineAsync(groupGrain, upgradeId, name, options.TargetVersion, cancellationToken);
                    }
                    finally
                    {
                        // Stopped mid-step or not, the SE leaves the upgrading state: up when its silo answered, down
                        // otherwise (membership brings it up when it joins).
                        if (outcome.Version is { } version)
                        {
                            await SetEngineAsync(groupGrain, name, se => se with { Version = version }, CancellationToken.None);
                        }

                        back = await Again(() => groupGrain.ReportServiceEngineStateAsync(name, outcome.State, _time.GetUtcNow(), outcome.Failure ?? "upgraded"), CancellationToken.None);
                    }

                    var disabled = (await Again(() => groupGrain.ListServiceEnginesAsync(), cancellationToken)).First(s => s.Name == name).EnableState == SeEnableState.Disabled;
                    if (outcome.Failure is { } failure)
                    {
                        failed.Add(name);
                        if (disabled && outcome.State == OperState.Up)
                        {
                            // It serves again at the version it runs: the upgrade disabled it, the upgrade gives it back.
                            await SetEngineAsync(groupGrain, name, se => se with { EnableState = SeEnableState.Enabled, DisabledForUpgrade = false }, cancellationToken);
                        }

                        yield return Report(UpgradeReportKind.SeFailed, name, failure, back.Changed);
                        if (options.ActionOnError == UpgradeActionOnError.SuspendUpgradeOpsOnError)
                        {
                            yield return Report(UpgradeReportKind.Suspended, name, $"{failure}; the group is suspended (SUSPEND_UPGRADE_OPS_ON_ERROR)");
                            yield break;
                        }
                    }
                    else if (!disabled)
                    {
                        completed++;
                        yield return Report(UpgradeReportKind.SeDone, name, $"{name} runs {options.TargetVersion}", back.Changed);
                    }

                    break;

                case UpgradeStepKind.Enable:
                    await SetEngineAsync(groupGrain, step.SeRef!, se => se with { EnableState = SeEnableState.Enabled, DisabledForUpgrade = false }, cancellationToken);
                    completed++;
                    yield return Report(UpgradeReportKind.SeDone, step.SeRef, step.Description);
                    break;

                default:
                    throw new InvalidOperationException($"Unknown upgrade step {step.Kind}.");
            }
        }

        const string NoProgress = "the upgrade made no progress; it was stopped";
        yield return Report(UpgradeReportKind.SeFailed, null, NoProgress);
        yield return Report(UpgradeReportKind.Suspended, null, NoProgress);
    }

    private sealed record EngineUpgrade(OperState State, string? Version, string? Failure);

    // Restarts the SE's silo and waits for a new incarnation of it (another silo address or generation) to answer:
    // at the target version it is upgraded, at another its supervisor did not start the new version. Where SEs are not
    // silos here the version is recorded.
    private async Task<EngineUpgrade> RestartEngineAsync(IServiceEngineGroupGrain group, Guid upgradeId, string name, string targetVersion, CancellationToken cancellationToken)
    {
        ServiceEngineIncarnation? restarting;
        try
        {
            restarting = await group.RestartServiceEngineAsync(name, targetVersion).WaitAsync(cancellationToken);
        }
        catch (HaOperationRejectedException ex)
        {
            return new EngineUpgrade(OperState.Up, null, ex.Message);
        }
        catch (ServiceEngineUnavailableException ex)
        {
            return new EngineUpgrade(OperState.Down, null, ex.Message);
        }

        if (restarting is null)
        {
            return new EngineUpgrade(OperState.Up, targetVersion, null);
        }

        var deadline = _time.GetUtcNow() + UpgradeLeaseTime;
        while (_time.GetUtcNow() < deadline)
        {
            await Task.Delay(UpgradePollInterval, _time, cancellationToken);
            try
            {
                await group.AcquireUpgradeAsync(upgradeId, UpgradeLease).WaitAsync(cancellationToken);
                var current = await _grains.GetGrain<IServiceEngineGrain>(name).GetIncarnationAsync().WaitAsync(cancellationToken);
                if (!string.Equals(current.Silo, restarting.Silo, StringComparison.Ordinal))
                {
                    return string.Equals(current.Version, targetVersion, StringComparison.Ordinal)
                        ? new EngineUpgrade(OperState.Up, current.Version, null)
                        : new EngineUpgrade(OperState.Up, current.Version, $"{name} came back running {current.Version}, not {targetVersion}: its supervisor did not start the new version");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Stopping, not joined yet, its old incarnation's connection going away, or the group grain moving off
                // the restarting silo: ask again.
            }
        }

        return new EngineUpgrade(OperState.Failed, null, $"{name} did not come back within upgrade_lease_time ({UpgradeLeaseTime.TotalSeconds:0} s) after its upgrade restart");
    }

    private Task<ServiceEngine> SetEngineAsync(IServiceEngineGroupGrain group, string name, Func<ServiceEngine, ServiceEngine> change, CancellationToken cancellationToken) =>
        Again(
            async () =>
            {
                var current = (await group.ListServiceEnginesAsync()).First(s => string.Equals(s.Name, name, StringComparison.Ordinal));
                return await group.PutServiceEngineAsync(current, change(current), validateOnly: false);
            },
            cancellationToken);

    // While an SE restarts, the group grain may be moving off its silo (or a silo it calls may be going away): a call
    // that failed for that is made again, for a while. Every call made through here may be repeated: it reads, or sets
    // a value, or asks for a move that finds nothing left to move the second time.
    private Task<bool> Again(Func<Task> call, CancellationToken cancellationToken) =>
        Again(
            async () =>
            {
                await call();
                return true;
            },
            cancellationToken);

    private async Task<T> Again<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (attempt < MovingAttempts && ex is Orleans.Runtime.OrleansMessageRejectionException or TimeoutException)
            {
                await Task.Delay(UpgradePollInterval, _time, cancellationToken);
            }
        }
    }

    // With the poll interval's 500 ms, about 30 s: longer than the cluster takes to declare a silo dead and move its grains.
    private const int MovingAttempts = 60;

    // The planner waits while placements drain off an SE: sleep until the last drain deadline of the
    // placement it planned on; the group's drain timer ends them. False when there was nothing to
    // wait for and nothing changed since, i.e. waiting would change nothing.
    private async Task<bool> WaitForDrainsAsync(IServiceEngineGroupGrain group, string? se, GroupPlacement planned, CancellationToken cancellationToken)
    {
        var deadlines = planned.VirtualServices
            .SelectMany(v => v.SeList)
            .Where(e => e.DeleteInProgress && e.DrainDeadline is not null && (se is null || string.Equals(e.SeRef, se, StringComparison.Ordinal)))
            .Select(e => e.DrainDeadline!.Value)
            .ToArray();
        if (deadlines.Length == 0)
        {
            return (await Again(() => group.GetPlacementAsync(), cancellationToken)).Epoch != planned.Epoch;
        }

        var wait = deadlines.Max() - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        // The drain timer ends the drains at their deadline; wait (bounded) until the epoch moved.
        for (var i = 0; i < 100 && (await Again(() => group.GetPlacementAsync(), cancellationToken)).Epoch == planned.Epoch; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        return true;
    }
}
