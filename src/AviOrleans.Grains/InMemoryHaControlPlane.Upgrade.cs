using System.Runtime.CompilerServices;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>
/// Rolling upgrade of a group, driven step by step by the domain's <see cref="RollingUpgradePlanner"/>:
/// legacy pairs switch actives to the peer first, elastic groups disable the SE so that its virtual
/// services migrate away (with their drain), then the SE is marked upgrading, brought back at the new
/// version, and enabled again. Today's control plane has no SE process to restart, so "upgrading"
/// an SE is recording its new version; the silo's agent will do the real work when it lands.
/// </summary>
public sealed partial class InMemoryHaControlPlane
{
    private readonly HashSet<string> _upgrading = new(StringComparer.Ordinal);

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

        var group = FindGroup(State.Configuration, seGroupRef).Name;
        lock (_upgrading)
        {
            if (!_upgrading.Add(group))
            {
                throw new HaOperationRejectedException($"An upgrade of {GroupKind} \"{group}\" is already running.");
            }
        }

        string? upgradingSe = null;
        try
        {
            var engines = EnginesOf(State, group);
            var total = engines.Count(s => !string.Equals(s.Version, options.TargetVersion, StringComparison.Ordinal) && s.OperState == OperState.Up);
            var completed = 0;
            UpgradeReport Report(UpgradeReportKind kind, string? se, string description, IReadOnlyList<PlacementView>? changed = null) =>
                new(kind, group, se, completed, total, description, changed ?? []);

            yield return Report(UpgradeReportKind.Started, null, $"upgrading {total} service engine(s) of {group} to {options.TargetVersion}, one at a time");

            // Each SE takes a handful of steps (prepare, drain waits, upgrade, enable); the bound
            // only stops a planner that no longer makes progress.
            var maxSteps = 20 * (engines.Count + 1);
            for (var i = 0; i < maxSteps; i++)
            {
                var state = State;
                var step = RollingUpgradePlanner.NextStep(FindGroup(state.Configuration, group), state.Configuration.ServiceEngines, state.Placements.GetValueOrDefault(group), options);
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
                        var switched = await RequestAsync(group, new SeSwitchoverRequest { SeRef = step.SeRef! }, cancellationToken).ConfigureAwait(false);
                        yield return Report(UpgradeReportKind.Preparing, step.SeRef, step.Description, switched.Changed);
                        break;

                    case UpgradeStepKind.DisableForMigration:
                        var disabled = await SetEngineAsync(step.SeRef!, se => se with { EnableState = SeEnableState.Disabled }, cancellationToken).ConfigureAwait(false);
                        yield return Report(UpgradeReportKind.Preparing, step.SeRef, step.Description, disabled.Changed);
                        break;

                    case UpgradeStepKind.Wait:
                        if (!await WaitForDrainsAsync(step.SeRef, state, cancellationToken).ConfigureAwait(false))
                        {
                            var stuck = $"the upgrade cannot go on: {step.Description}";
                            yield return Report(UpgradeReportKind.SeFailed, step.SeRef, stuck);
                            yield return Report(UpgradeReportKind.Suspended, step.SeRef, stuck);
                            yield break;
                        }

                        break;

                    case UpgradeStepKind.StartUpgrade:
                        upgradingSe = step.SeRef!;
                        var down = await SetEngineAsync(upgradingSe, se => se with { OperState = OperState.Upgrading }, cancellationToken).ConfigureAwait(false);
                        yield return Report(UpgradeReportKind.SeStarted, upgradingSe, step.Description, down.Changed);
                        var up = await SetEngineAsync(upgradingSe, se => se with { Version = options.TargetVersion, OperState = OperState.Up }, cancellationToken).ConfigureAwait(false);
                        var name = upgradingSe;
                        upgradingSe = null;
                        if (FindEngine(State.Configuration, name).EnableState != SeEnableState.Disabled)
                        {
                            completed++;
                            yield return Report(UpgradeReportKind.SeDone, name, $"{name} runs {options.TargetVersion}", up.Changed);
                        }

                        break;

                    case UpgradeStepKind.Enable:
                        var enabled = await SetEngineAsync(step.SeRef!, se => se with { EnableState = SeEnableState.Enabled }, cancellationToken).ConfigureAwait(false);
                        completed++;
                        yield return Report(UpgradeReportKind.SeDone, step.SeRef, step.Description, enabled.Changed);
                        break;

                    default:
                        throw new InvalidOperationException($"Unknown upgrade step {step.Kind}.");
                }
            }

            const string NoProgress = "the upgrade made no progress; it was stopped";
            yield return Report(UpgradeReportKind.SeFailed, null, NoProgress);
            yield return Report(UpgradeReportKind.Suspended, null, NoProgress);
        }
        finally
        {
            if (upgradingSe is not null)
            {
                // The caller went away mid-step: bring the SE back at its old version rather than
                // leaving it out of service.
                await RestoreEngineAsync(upgradingSe).ConfigureAwait(false);
            }

            lock (_upgrading)
            {
                _upgrading.Remove(group);
            }
        }
    }

    private static List<ServiceEngine> EnginesOf(ControlPlaneState state, string group) =>
        [.. state.Configuration.ServiceEngines.Where(s => string.Equals(s.SeGroupRef, group, StringComparison.Ordinal))];

    // The planner waits while placements drain off an SE: sleep (on the control plane's clock)
    // until the last drain deadline of the state it planned on, then end the drains that are due
    // (the drain timer may already have). False when that state had no drain to wait for and
    // nothing changed since, i.e. waiting would change nothing.
    private async Task<bool> WaitForDrainsAsync(string? se, ControlPlaneState planned, CancellationToken cancellationToken)
    {
        var deadlines = planned.Placements.Values
            .SelectMany(g => g.VirtualServices)
            .SelectMany(v => v.SeList)
            .Where(e => e.DeleteInProgress && e.DrainDeadline is not null && (se is null || string.Equals(e.SeRef, se, StringComparison.Ordinal)))
            .Select(e => e.DrainDeadline!.Value)
            .ToArray();
        if (deadlines.Length == 0)
        {
            return !ReferenceEquals(planned, State);
        }

        var wait = deadlines.Max() - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        await EndDrainsAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<HaOperationResult> SetEngineAsync(string name, Func<ServiceEngine, ServiceEngine> change, CancellationToken cancellationToken)
    {
        var (_, result) = await MutateAsync(
            config =>
            {
                var se = FindEngine(config, name);
                return new Mutation<ServiceEngine>(Upsert(change(se)), se, [se.SeGroupRef], EngineKind, name);
            },
            validateOnly: false,
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task RestoreEngineAsync(string name)
    {
        try
        {
            if (State.Configuration.ServiceEngines.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal)) is { OperState: OperState.Upgrading })
            {
                await SetEngineAsync(name, se => se with { OperState = OperState.Up }, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (ObjectDisposedException) when (_disposed.IsCancellationRequested)
        {
            // The control plane is shutting down; there is nothing left to restore.
        }
    }
}
