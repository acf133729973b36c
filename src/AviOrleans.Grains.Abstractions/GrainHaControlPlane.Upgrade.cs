using System.Runtime.CompilerServices;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// Rolling upgrade of a group, driven step by step by the domain's <see cref="RollingUpgradePlanner"/>
/// over the group grain: legacy pairs switch actives to the peer first, elastic groups disable the
/// SE so that its virtual services migrate away (with their drain), then the SE is marked upgrading,
/// brought back at the new version, and enabled again.
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
        for (var i = 0; i < maxSteps; i++)
        {
            await groupGrain.AcquireUpgradeAsync(upgradeId, UpgradeLease).WaitAsync(cancellationToken);
            var config = await groupGrain.GetAsync().WaitAsync(cancellationToken);
            var ses = await groupGrain.ListServiceEnginesAsync().WaitAsync(cancellationToken);
            var placement = await groupGrain.GetPlacementAsync().WaitAsync(cancellationToken);
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
                    var switched = await groupGrain.RequestAsync(new SeSwitchoverRequest { SeRef = step.SeRef! }).WaitAsync(cancellationToken);
                    yield return Report(UpgradeReportKind.Preparing, step.SeRef, step.Description, switched.Changed);
                    break;

                case UpgradeStepKind.DisableForMigration:
                    await SetEngineAsync(groupGrain, step.SeRef!, se => se with { EnableState = SeEnableState.Disabled }, cancellationToken);
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

                case UpgradeStepKind.StartUpgrade:
                    var name = step.SeRef!;
                    var down = await groupGrain.ReportServiceEngineStateAsync(name, OperState.Upgrading, _time.GetUtcNow(), "upgrading").WaitAsync(cancellationToken);
                    HaOperationResult up;
                    try
                    {
                        await SetEngineAsync(groupGrain, name, se => se with { Version = options.TargetVersion }, cancellationToken);
                    }
                    finally
                    {
                        // Stopped mid-step or not: the SE does not stay out of service.
                        up = await groupGrain.ReportServiceEngineStateAsync(name, OperState.Up, _time.GetUtcNow(), "upgraded");
                    }

                    yield return Report(UpgradeReportKind.SeStarted, name, step.Description, down.Changed);
                    if ((await groupGrain.ListServiceEnginesAsync().WaitAsync(cancellationToken)).First(s => s.Name == name).EnableState != SeEnableState.Disabled)
                    {
                        completed++;
                        yield return Report(UpgradeReportKind.SeDone, name, $"{name} runs {options.TargetVersion}", up.Changed);
                    }

                    break;

                case UpgradeStepKind.Enable:
                    await SetEngineAsync(groupGrain, step.SeRef!, se => se with { EnableState = SeEnableState.Enabled }, cancellationToken);
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

    private static async Task SetEngineAsync(IServiceEngineGroupGrain group, string name, Func<ServiceEngine, ServiceEngine> change, CancellationToken cancellationToken)
    {
        var current = (await group.ListServiceEnginesAsync().WaitAsync(cancellationToken)).First(s => string.Equals(s.Name, name, StringComparison.Ordinal));
        await group.PutServiceEngineAsync(current, change(current), validateOnly: false).WaitAsync(cancellationToken);
    }

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
            return (await group.GetPlacementAsync().WaitAsync(cancellationToken)).Epoch != planned.Epoch;
        }

        var wait = deadlines.Max() - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        // The drain timer ends the drains at their deadline; wait (bounded) until the epoch moved.
        for (var i = 0; i < 100 && (await group.GetPlacementAsync().WaitAsync(cancellationToken)).Epoch == planned.Epoch; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        return true;
    }
}
