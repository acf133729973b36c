using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace AviOrleans.Grains;

/// <summary>
/// A group's rolling upgrade, run by a grain timer one short step at a time as the domain's
/// <see cref="RollingUpgradePlanner"/> plans it over the group grain: legacy pairs switch actives to the peer first,
/// elastic groups disable the SE so that its virtual services migrate away (with their drain), then the SE is marked
/// upgrading, its silo is asked to restart (it exits for its supervisor to start the installed version), and the
/// upgrade waits, within <c>upgrade_lease_time</c>, for a new incarnation of that silo to answer at the target version
/// before it enables the SE again. An SE that does not come back, or comes back at another version, failed its
/// upgrade (<c>action_on_error</c> says whether the group's upgrade goes on). Where SEs are not silos of this cluster
/// (<see cref="AviGrainsOptions.ServiceEngineLiveness"/> is Reported), nothing here can restart one: the version is
/// recorded.
/// Every step is written before the next one starts, and each may be taken again (it reads, sets a value, or asks for
/// a move that finds nothing left to move the second time): an activation that ends mid-step leaves the next one
/// to go on from the last written step.
/// </summary>
internal sealed class GroupUpgradeGrain(
    [PersistentState("upgrade", HaRegistry.StorageName)] IPersistentState<GroupUpgradeState> state,
    IOptions<AviGrainsOptions> options,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    TimeProvider time,
    ILogger<GroupUpgradeGrain> logger) : Grain, IGroupUpgradeGrain, IRemindable
{
    private const string EngineKind = "serviceengine";
    private const string ReminderName = "rolling-upgrade";

    // How long the group's upgrade mark is held between two steps: steps come every poll interval, so this only
    // lapses when the upgrade itself stopped running (its silo gone and nobody calling it).
    private static readonly TimeSpan GroupLease = TimeSpan.FromMinutes(2);

    // Failures that pass (a silo going away, the store out for a moment) retried this many ticks in a row: at the
    // default poll interval about 30 s, longer than the cluster takes to declare a silo dead and move its grains.
    private const int PassingFailureLimit = 60;

    // After the last drain's deadline, how long to wait for the group's drain timer to end the drains.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    private readonly AviGrainsOptions _options = options.Value;
    private TaskCompletionSource _reported = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IGrainTimer? _timer;
    private int _failuresInARow;
    private (int, UpgradeRestart?, UpgradeDrainWait?, int, int, bool) _written;

    private string Name => this.GetPrimaryKeyString();

    private GroupUpgradeState Run => state.State;

    private IServiceEngineGroupGrain Group => GrainFactory.GetGrain<IServiceEngineGroupGrain>(Name);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _written = Progress();
        if (Run.Running)
        {
            StartStepping();
        }

        return Task.CompletedTask;
    }

    public async Task<Guid> StartAsync(SeUpgradeParams upgrade)
    {
        ArgumentNullException.ThrowIfNull(upgrade);
        if (string.IsNullOrWhiteSpace(upgrade.TargetVersion))
        {
            throw new HaValidationException("version", "The version to upgrade to is required.");
        }

        if (Run.Running)
        {
            return Run.Options is { } running && string.Equals(running.TargetVersion, upgrade.TargetVersion, StringComparison.Ordinal)
                ? Run.Id
                : throw new HaOperationRejectedException($"An upgrade of serviceenginegroup \"{Name}\" to {Run.Options?.TargetVersion} is running; it must end (completed or suspended) before another starts.");
        }

        // A mark an earlier run left on the group (its end could not reach the group) goes first.
        await Group.ReleaseUpgradeAsync(Run.Id);
        var id = Guid.NewGuid();
        await Group.AcquireUpgradeAsync(id, GroupLease);
        try
        {
            // The timer steps while this activation lives; the reminder brings one back when its silo went away. It is
            // registered first: no run starts that nothing would wake (one left by a failed write finds no run and goes).
            await this.RegisterOrUpdateReminder(ReminderName, _options.UpgradeReminderPeriod, _options.UpgradeReminderPeriod);
            var engines = await Group.ListServiceEnginesAsync();
            var total = engines.Count(s => !string.Equals(s.Version, upgrade.TargetVersion, StringComparison.Ordinal) && s.OperState == OperState.Up);
            state.State = new GroupUpgradeState { Id = id, Options = upgrade, Running = true, Total = total };
            Report(UpgradeReportKind.Started, null, $"upgrading {total} service engine(s) of {Name} to {upgrade.TargetVersion}, one at a time");
            await SaveAsync();
        }
        catch
        {
            state.State.Running = false;
            await Group.ReleaseUpgradeAsync(id);
            throw;
        }

        StartStepping();
        return id;
    }

    public async Task<UpgradeProgressPage> ReadAsync(Guid run, int from, TimeSpan wait)
    {
        if (run != Run.Id)
        {
            throw new HaObjectNotFoundException("upgrade", $"{Name}/{run}");
        }

        if (from >= Run.Reports.Length && Run.Running && wait > TimeSpan.Zero)
        {
            // Long poll: answered at the next report, or empty when the wait is over.
            await Task.WhenAny(_reported.Task, Task.Delay(wait, time));
        }

        return new UpgradeProgressPage([.. Run.Reports.Skip(Math.Max(0, from))], !Run.Running);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Run.Running && await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        // Running: activating this grain was the point (OnActivateAsync started stepping).
    }

    private void StartStepping() =>
        _timer ??= this.RegisterGrainTimer(StepAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _options.UpgradePollInterval,
            KeepAlive = true,
        });

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        if (!Run.Running)
        {
            return;
        }

        try
        {
            await Group.AcquireUpgradeAsync(Run.Id, GroupLease);
            await TakeStepAsync();
            if (Progress() != _written)
            {
                // Written when it moved on (or a write failed before), not at every look at a restarting SE or a drain.
                await SaveAsync(cancellationToken);
            }

            _failuresInARow = 0;
        }
        catch (Exception ex) when (IsPassing(ex) && ++_failuresInARow < PassingFailureLimit)
        {
            // A silo going away (the one being restarted may host the group) or the store out for a moment: the
            // next tick takes the step again.
            GrainLog.UpgradeStepRetried(logger, Name, _failuresInARow, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainLog.UpgradeStopped(logger, Name, ex);
            var why = $"the upgrade stopped: {ex.Message}";
            Report(UpgradeReportKind.SeFailed, Run.Restarting?.Se, why);
            await EndAsync(UpgradeReportKind.Suspended, Run.Restarting?.Se, why);
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        await state.SaveAsync($"the upgrade of serviceenginegroup \"{Name}\"", cancellationToken);
        _written = Progress();
    }

    // What a step may change that the next activation must know (the step count is only a bound: not written for itself).
    private (int, UpgradeRestart?, UpgradeDrainWait?, int, int, bool) Progress() =>
        (Run.Reports.Length, Run.Restarting, Run.Waiting, Run.Failed.Length, Run.Completed, Run.Running);

    private static bool IsPassing(Exception ex) =>
        ex is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException or HaStorageException or ServiceEngineUnavailableException;

    // One step: a restart under way is watched, a drain waited for, else the planner says what comes next.
    private async Task TakeStepAsync()
    {
        if (Run.Restarting is { } restarting)
        {
            await WatchRestartAsync(restarting);
            return;
        }

        if (Run.Waiting is { } waiting)
        {
            if (!await DrainsOverAsync(waiting))
            {
                return;
            }

            Run.Waiting = null;
        }

        // Each SE takes a handful of steps (prepare, drain waits, upgrade, enable); the bound only stops a planner
        // that no longer makes progress.
        var config = await Group.GetAsync();
        var engines = (await Group.ListServiceEnginesAsync()).Where(s => !Run.Failed.Contains(s.Name)).ToArray();
        if (++Run.Steps > 20 * (engines.Length + Run.Failed.Length + 1))
        {
            const string NoProgress = "the upgrade made no progress; it was stopped";
            Report(UpgradeReportKind.SeFailed, null, NoProgress);
            await EndAsync(UpgradeReportKind.Suspended, null, NoProgress);
            return;
        }

        var placement = await Group.GetPlacementAsync();
        var step = RollingUpgradePlanner.NextStep(config, engines, placement, Run.Options!);
        switch (step.Kind)
        {
            case UpgradeStepKind.Done:
                await EndAsync(UpgradeReportKind.Completed, null, step.Description);
                break;

            case UpgradeStepKind.Suspended:
                Report(UpgradeReportKind.SeFailed, step.SeRef, step.Description);
                await EndAsync(UpgradeReportKind.Suspended, step.SeRef, step.Description);
                break;

            case UpgradeStepKind.SwitchoverSe:
                var switched = await Group.RequestAsync(new SeSwitchoverRequest { SeRef = step.SeRef! });
                Report(UpgradeReportKind.Preparing, step.SeRef, step.Description, switched.Changed);
                break;

            case UpgradeStepKind.DisableForMigration:
                await SetEngineAsync(step.SeRef!, se => se with { EnableState = SeEnableState.Disabled, DisabledForUpgrade = true });
                Report(UpgradeReportKind.Preparing, step.SeRef, step.Description);
                break;

            case UpgradeStepKind.Wait:
                await WaitForDrainsAsync(step, placement);
                break;

            case UpgradeStepKind.StartUpgrade:
                if (MoveOffServiceEngine(step.SeRef!))
                {
                    break;
                }

                var down = await Group.ReportServiceEngineStateAsync(step.SeRef!, OperState.Upgrading, time.GetUtcNow(), "upgrading");
                Report(UpgradeReportKind.SeStarted, step.SeRef, step.Description, down.Changed);
                Run.Restarting = new UpgradeRestart(step.SeRef!, null, time.GetUtcNow() + _options.ControllerProperties.GetUpgradeLeaseTime());
                await SaveAsync();
                await RestartAsync(Run.Restarting);
                break;

            case UpgradeStepKind.Enable:
                await EnableAsync(step.SeRef!);
                Run.Completed++;
                Report(UpgradeReportKind.SeDone, step.SeRef, step.Description);
                break;

            default:
                throw new InvalidOperationException($"Unknown upgrade step {step.Kind}.");
        }
    }

    // The restart stops the SE's silo: an upgrade running there moves first (Orleans grain migration, its state
    // carried over) to another active silo, and goes on from there. With no other silo it stays, and the reminder
    // brings it back on the SE's next incarnation.
    private bool MoveOffServiceEngine(string seName)
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).ToArray();
        if (!active.Any(m => m.SiloAddress.Equals(silo.SiloAddress) && string.Equals(m.Name, seName, StringComparison.Ordinal))
            || active.Where(m => !string.Equals(m.Name, seName, StringComparison.Ordinal)).OrderBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault() is not { } elsewhere)
        {
            return false;
        }

        RequestContext.Set(IPlacementDirector.PlacementHintKey, elsewhere.SiloAddress);
        this.MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        return true;
    }

    // Asks the SE's silo to restart (again, when an earlier activation stopped before it knew the answer).
    private async Task RestartAsync(UpgradeRestart restarting)
    {
        ServiceEngineIncarnation? incarnation;
        try
        {
            incarnation = await Group.RestartServiceEngineAsync(restarting.Se, Run.Options!.TargetVersion);
        }
        catch (HaOperationRejectedException ex)
        {
            await FinishServiceEngineAsync(restarting.Se, OperState.Up, null, ex.Message);
            return;
        }
        catch (ServiceEngineUnavailableException ex)
        {
            await FinishServiceEngineAsync(restarting.Se, OperState.Down, null, ex.Message);
            return;
        }

        if (incarnation is null)
        {
            await FinishServiceEngineAsync(restarting.Se, OperState.Up, Run.Options.TargetVersion, null);
            return;
        }

        Run.Restarting = restarting with { Silo = incarnation.Silo };
    }

    // Waits for a new incarnation of the restarted SE's silo (another address or generation): at the target version
    // it is upgraded, at another its supervisor did not start the new version.
    private async Task WatchRestartAsync(UpgradeRestart restarting)
    {
        if (restarting.Silo is null)
        {
            await RestartAsync(restarting);
            return;
        }

        if (time.GetUtcNow() >= restarting.Deadline)
        {
            await FinishServiceEngineAsync(restarting.Se, OperState.Failed, null, $"{restarting.Se} did not come back within upgrade_lease_time ({_options.ControllerProperties.UpgradeLeaseTime} s) after its upgrade restart");
            return;
        }

        ServiceEngineIncarnation current;
        try
        {
            current = await GrainFactory.GetGrain<IServiceEngineGrain>(restarting.Se).GetIncarnationAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stopping, not joined yet, or its old incarnation's connection going away: ask again at the next tick.
            return;
        }

        if (!string.Equals(current.Silo, restarting.Silo, StringComparison.Ordinal))
        {
            var failure = string.Equals(current.Version, Run.Options!.TargetVersion, StringComparison.Ordinal)
                ? null
                : $"{restarting.Se} came back running {current.Version}, not {Run.Options.TargetVersion}: its supervisor did not start the new version";
            await FinishServiceEngineAsync(restarting.Se, OperState.Up, current.Version, failure);
        }
    }

    // The SE leaves the upgrading state: up when its silo answered, down or failed otherwise (membership brings it up
    // when it joins). The upgrade enables it again unless it failed.
    private async Task FinishServiceEngineAsync(string name, OperState operState, string? version, string? failure)
    {
        if (version is not null)
        {
            await SetEngineAsync(name, se => se with { Version = version });
        }

        var back = await Group.ReportServiceEngineStateAsync(name, operState, time.GetUtcNow(), failure ?? "upgraded");
        var disabled = (await Group.ListServiceEnginesAsync()).First(s => s.Name == name).EnableState == SeEnableState.Disabled;
        Run.Restarting = null;
        if (failure is not null)
        {
            Run.Failed = Run.Failed.Add(name);
            if (disabled && operState == OperState.Up)
            {
                // It serves again at the version it runs: the upgrade disabled it, the upgrade gives it back.
                await EnableAsync(name);
            }

            Report(UpgradeReportKind.SeFailed, name, failure, back.Changed);
            if (Run.Options!.ActionOnError == UpgradeActionOnError.SuspendUpgradeOpsOnError)
            {
                await EndAsync(UpgradeReportKind.Suspended, name, $"{failure}; the group is suspended (SUSPEND_UPGRADE_OPS_ON_ERROR)");
            }
        }
        else if (!disabled)
        {
            Run.Completed++;
            Report(UpgradeReportKind.SeDone, name, $"{name} runs {Run.Options!.TargetVersion}", back.Changed);
        }
    }

    // The planner waits while placements drain off an SE: until the last drain deadline of the placement it planned
    // on, then (a while) until the group's drain timer moved the epoch. Nothing to wait for and nothing changed since
    // the plan: waiting would change nothing, the upgrade cannot go on.
    private async Task WaitForDrainsAsync(UpgradeStep step, GroupPlacement planned)
    {
        var deadlines = planned.VirtualServices
            .SelectMany(v => v.SeList)
            .Where(e => e.DeleteInProgress && e.DrainDeadline is not null && (step.SeRef is null || string.Equals(e.SeRef, step.SeRef, StringComparison.Ordinal)))
            .Select(e => e.DrainDeadline!.Value)
            .ToArray();
        if (deadlines.Length > 0)
        {
            Run.Waiting = new UpgradeDrainWait(deadlines.Max(), planned.Epoch, deadlines.Max() + DrainGrace);
        }
        else if ((await Group.GetPlacementAsync()).Epoch == planned.Epoch)
        {
            var stuck = $"the upgrade cannot go on: {step.Description}";
            Report(UpgradeReportKind.SeFailed, step.SeRef, stuck);
            await EndAsync(UpgradeReportKind.Suspended, step.SeRef, stuck);
        }
    }

    private async Task<bool> DrainsOverAsync(UpgradeDrainWait waiting)
    {
        var now = time.GetUtcNow();
        return now >= waiting.Until && (now >= waiting.GiveUpAt || (await Group.GetPlacementAsync()).Epoch != waiting.Epoch);
    }

    // Enabled with the upgrade's mark still set, so that the placements it gets back are reported as the upgrade's
    // (UPGRADE_SE_VS_SCALEOUT), then the mark goes. Taken again, both are no-ops.
    private async Task EnableAsync(string name)
    {
        await SetEngineAsync(name, se => se with { EnableState = SeEnableState.Enabled });
        await SetEngineAsync(name, se => se with { DisabledForUpgrade = false });
    }

    private async Task SetEngineAsync(string name, Func<ServiceEngine, ServiceEngine> change)
    {
        var current = (await Group.ListServiceEnginesAsync()).First(s => string.Equals(s.Name, name, StringComparison.Ordinal));
        await Group.PutServiceEngineAsync(current, change(current), validateOnly: false);
    }

    private void Report(UpgradeReportKind kind, string? se, string description, IReadOnlyList<PlacementView>? changed = null)
    {
        Run.Reports = Run.Reports.Add(new UpgradeReport(kind, Name, se, Run.Completed, Run.Total, description, changed ?? []));
        _reported.TrySetResult();
        _reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // The run's last report; the group's mark and the reminder go, the timer stops.
    private async Task EndAsync(UpgradeReportKind kind, string? se, string description)
    {
        Report(kind, se, description);
        Run.Running = false;
        Run.Restarting = null;
        Run.Waiting = null;
        await SaveAsync();
        _timer?.Dispose();
        _timer = null;
        try
        {
            await Group.ReleaseUpgradeAsync(Run.Id);
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The group's mark lapses by itself; a reminder left behind finds the run ended and goes.
            GrainLog.UpgradeCleanupFailed(logger, Name, ex);
        }
    }
}

/// <summary>A group's rolling upgrade as stored: the run, how far it went, what it waits for.</summary>
[GenerateSerializer, Alias("avi.GroupUpgradeState")]
internal sealed class GroupUpgradeState
{
    [Id(0)]
    public Guid Id { get; set; }

    [Id(1)]
    public SeUpgradeParams? Options { get; set; }

    [Id(2)]
    public bool Running { get; set; }

    /// <summary>Every report of the run, in order (what a caller joining late reads from the start).</summary>
    [Id(3)]
    public ImmutableArray<UpgradeReport> Reports { get; set; } = [];

    [Id(4)]
    public int Completed { get; set; }

    [Id(5)]
    public int Total { get; set; }

    /// <summary>SEs that failed their upgrade (<c>CONTINUE_UPGRADE_OPS_ON_ERROR</c> leaves them as they are).</summary>
    [Id(6)]
    public ImmutableArray<string> Failed { get; set; } = [];

    [Id(7)]
    public int Steps { get; set; }

    [Id(8)]
    public UpgradeRestart? Restarting { get; set; }

    [Id(9)]
    public UpgradeDrainWait? Waiting { get; set; }
}

/// <summary>An SE restarting for its upgrade: the incarnation that was asked to restart (null until it answered).</summary>
[GenerateSerializer, Immutable, Alias("avi.UpgradeRestart")]
internal sealed record UpgradeRestart([property: Id(0)] string Se, [property: Id(1)] string? Silo, [property: Id(2)] DateTimeOffset Deadline);

/// <summary>Drains the upgrade waits for: until their last deadline, then until the epoch moved (or a grace passed).</summary>
[GenerateSerializer, Immutable, Alias("avi.UpgradeDrainWait")]
internal sealed record UpgradeDrainWait([property: Id(0)] DateTimeOffset Until, [property: Id(1)] long Epoch, [property: Id(2)] DateTimeOffset GiveUpAt);
