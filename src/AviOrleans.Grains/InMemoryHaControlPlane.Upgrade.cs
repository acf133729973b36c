using System.Runtime.CompilerServices;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>
/// Rolling upgrade of a group: one SE at a time, emptied first (unless disruptive), marked
/// upgrading, then back up at the new version. AVI-REFERENCE §2.8: legacy pairs upgrade the SE
/// with fewer actives first and switch the other's actives over to it; in elastic groups a virtual
/// service that lives only on the SE is migrated first (AS-58's preferred behaviour), one that has
/// other SEs keeps serving there.
/// </summary>
public sealed partial class InMemoryHaControlPlane
{
    private readonly HashSet<string> _upgrading = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async IAsyncEnumerable<UpgradeStep> UpgradeServiceEngineGroupAsync(
        string seGroupRef,
        UpgradeOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Version))
        {
            throw new HaValidationException("version", "The version to upgrade to is required.");
        }

        var group = FindGroup(State.Configuration, seGroupRef);
        lock (_upgrading)
        {
            if (!_upgrading.Add(group.Name))
            {
                throw new HaOperationRejectedException($"An upgrade of {GroupKind} \"{group.Name}\" is already running.");
            }
        }

        string? upgradingSe = null;
        try
        {
            var order = UpgradeOrder(State, group.Name, options.Version);
            var completed = 0;
            yield return new UpgradeStep(UpgradeStepKind.Started, group.Name, null, 0, order.Count, null, []);
            foreach (var se in order)
            {
                var changed = new List<PlacementView>();
                string? failure = null;
                if (!options.Disruptive)
                {
                    try
                    {
                        changed.AddRange(await EvacuateAsync(group.Name, se, cancellationToken).ConfigureAwait(false));
                    }
                    catch (HaOperationRejectedException ex)
                    {
                        failure = ex.Message;
                    }
                }

                if (failure is not null)
                {
                    yield return new UpgradeStep(UpgradeStepKind.SeFailed, group.Name, se, completed, order.Count, failure, changed);
                    if (options.SuspendOnError)
                    {
                        yield return new UpgradeStep(UpgradeStepKind.Suspended, group.Name, se, completed, order.Count, failure, []);
                        yield break;
                    }

                    continue;
                }

                await WaitForDrainsAsync(se, cancellationToken).ConfigureAwait(false);
                upgradingSe = se;
                var down = await ReportServiceEngineStateAsync(se, OperState.Upgrading, cancellationToken).ConfigureAwait(false);
                changed.AddRange(down.Changed);
                yield return new UpgradeStep(UpgradeStepKind.SeStarted, group.Name, se, completed, order.Count, null, changed);

                // Today's control plane has no SE process to restart: the upgrade of the SE itself is
                // recording its new version; the silo's agent will do the real work when it lands.
                var up = await SetEngineUpgradedAsync(se, options.Version, cancellationToken).ConfigureAwait(false);
                upgradingSe = null;
                completed++;
                yield return new UpgradeStep(UpgradeStepKind.SeDone, group.Name, se, completed, order.Count, null, up.Changed);
            }

            yield return new UpgradeStep(UpgradeStepKind.Completed, group.Name, null, completed, order.Count, null, []);
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
                _upgrading.Remove(group.Name);
            }
        }
    }

    private static List<string> UpgradeOrder(ControlPlaneState state, string group, string version)
    {
        var placement = state.Placements.GetValueOrDefault(group);
        int Actives(string se) => placement?.VirtualServices.Count(v => v.SeList.Any(e => e.IsPrimary && string.Equals(e.SeRef, se, StringComparison.Ordinal))) ?? 0;
        int Load(string se) => placement?.ServiceEngines.FirstOrDefault(r => string.Equals(r.SeRef, se, StringComparison.Ordinal))?.Load ?? 0;
        return [.. state.Configuration.ServiceEngines
            .Where(s => string.Equals(s.SeGroupRef, group, StringComparison.Ordinal) && !string.Equals(s.Version, version, StringComparison.Ordinal))
            .Select(s => s.Name)
            .OrderBy(Actives)
            .ThenBy(Load)
            .ThenBy(n => n, StringComparer.Ordinal)];
    }

    private async Task<List<PlacementView>> EvacuateAsync(string group, string se, CancellationToken cancellationToken)
    {
        var changed = new List<PlacementView>();
        var state = State;
        var placement = state.Placements.GetValueOrDefault(group);
        if (placement is null)
        {
            return changed;
        }

        if (placement.HaMode == HaMode.LegacyActiveStandby)
        {
            if (placement.VirtualServices.Any(v => v.SeList.Any(e => e.IsPrimary && string.Equals(e.SeRef, se, StringComparison.Ordinal))))
            {
                changed.AddRange((await RequestAsync(group, new SeSwitchoverRequest { SeRef = se }, cancellationToken).ConfigureAwait(false)).Changed);
            }

            return changed;
        }

        foreach (var vs in placement.VirtualServices)
        {
            var onSe = vs.SeList.Any(e => !e.DeleteInProgress && string.Equals(e.SeRef, se, StringComparison.Ordinal));
            var elsewhere = vs.SeList.Any(e => !e.DeleteInProgress && !e.IsStandby && !string.Equals(e.SeRef, se, StringComparison.Ordinal));
            if (onSe && !elsewhere)
            {
                var result = await RequestAsync(group, new MigrateRequest { VsRef = vs.VsRef, FromSeRef = se }, cancellationToken).ConfigureAwait(false);
                changed.AddRange(result.Changed);
            }
        }

        return changed;
    }

    // Migrated-away placements drain for vs_scalein_timeout before the SE goes down for its upgrade.
    private async Task WaitForDrainsAsync(string se, CancellationToken cancellationToken)
    {
        var deadlines = State.Placements.Values
            .SelectMany(g => g.VirtualServices)
            .SelectMany(v => v.SeList)
            .Where(e => e.DeleteInProgress && e.DrainDeadline is not null && string.Equals(e.SeRef, se, StringComparison.Ordinal))
            .Select(e => e.DrainDeadline!.Value)
            .ToArray();
        if (deadlines.Length == 0)
        {
            return;
        }

        var wait = deadlines.Max() - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HaOperationResult> SetEngineUpgradedAsync(string name, string version, CancellationToken cancellationToken)
    {
        var (_, result) = await MutateAsync(
            config =>
            {
                var se = FindEngine(config, name);
                return new Mutation<ServiceEngine>(Upsert(se with { Version = version, OperState = OperState.Up }), se, [se.SeGroupRef], EngineKind, name);
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
                await ReportServiceEngineStateAsync(name, OperState.Up, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (ObjectDisposedException) when (_disposed.IsCancellationRequested)
        {
            // The control plane is shutting down; there is nothing left to restore.
        }
    }
}
