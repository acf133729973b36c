namespace AviOrleans.Domain;

/// <summary>
/// Plans a rolling upgrade of one group, one step at a time, from the group's current state (pure; call again after
/// each step is carried out). Within a group at most one SE upgrades at a time (AS-56). Non-disruptive by default:
/// elastic groups migrate an SE's VSs away first (SE_STATE_DISABLED, so N+M single-placement VSs move before their
/// SE goes down, AS-58) and re-enable the SE once upgraded; legacy pairs upgrade the SE with fewer actives first,
/// switch every VS over to it, then upgrade the other (AS-59). <c>disruptive</c> skips the moves (AS-60).
/// </summary>
public static class RollingUpgradePlanner
{
    /// <summary>The next step.</summary>
    /// <param name="group">The group.</param>
    /// <param name="serviceEngines">Its SEs (others are ignored), with <c>version</c> and state.</param>
    /// <param name="placement">The group's current placement.</param>
    /// <param name="options">Target version and options.</param>
    public static UpgradeStep NextStep(ServiceEngineGroup group, IEnumerable<ServiceEngine> serviceEngines, GroupPlacement? placement, SeUpgradeParams options)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(serviceEngines);
        ArgumentNullException.ThrowIfNull(options);
        var ses = serviceEngines
            .Where(s => string.Equals(s.SeGroupRef, group.Name, StringComparison.Ordinal))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        bool Upgraded(ServiceEngine s) => string.Equals(s.Version, options.TargetVersion, StringComparison.Ordinal);

        if (ses.FirstOrDefault(s => s.OperState == OperState.Upgrading) is { } upgrading)
        {
            return new UpgradeStep(UpgradeStepKind.Wait, upgrading.Name, $"{upgrading.Name} is upgrading; one service engine at a time");
        }

        var failed = ses.Where(s => s.OperState == OperState.Failed && !Upgraded(s)).ToList();
        if (failed.Count > 0 && options.ActionOnError == UpgradeActionOnError.SuspendUpgradeOpsOnError)
        {
            return new UpgradeStep(UpgradeStepKind.Suspended, failed[0].Name, $"{failed[0].Name} failed its upgrade; the group is suspended (SUSPEND_UPGRADE_OPS_ON_ERROR)");
        }

        if (!options.Disruptive && group.HaMode != HaMode.LegacyActiveStandby
            && ses.FirstOrDefault(s => Upgraded(s) && s.OperState == OperState.Up && s.EnableState == SeEnableState.Disabled) is { } back)
        {
            return new UpgradeStep(UpgradeStepKind.Enable, back.Name, $"{back.Name} runs {options.TargetVersion}: enable it for placements again");
        }

        var pending = ses.Where(s => !Upgraded(s) && s.OperState == OperState.Up).ToList();
        if (pending.Count == 0)
        {
            var skipped = ses.Where(s => !Upgraded(s)).Select(s => s.Name).ToList();
            return new UpgradeStep(UpgradeStepKind.Done, null, skipped.Count == 0
                ? $"every service engine of {group.Name} runs {options.TargetVersion}"
                : $"every live service engine of {group.Name} runs {options.TargetVersion}; not upgraded: {string.Join(", ", skipped)}");
        }

        var actives = ActiveCounts(placement);
        var loads = placement?.ServiceEngines.ToDictionary(r => r.SeRef, r => r.Load, StringComparer.Ordinal) ?? [];
        int Actives(ServiceEngine s) => actives.GetValueOrDefault(s.Name);
        int Load(ServiceEngine s) => loads.GetValueOrDefault(s.Name);

        // Fewest VSs first: the least to move, and in legacy HA the standby side.
        var next = pending.OrderBy(s => group.HaMode == HaMode.LegacyActiveStandby ? Actives(s) : Load(s)).ThenBy(s => s.Name, StringComparer.Ordinal).First();
        if (options.Disruptive)
        {
            return new UpgradeStep(UpgradeStepKind.StartUpgrade, next.Name, $"disruptive upgrade of {next.Name}: its virtual services are not moved first");
        }

        if (group.HaMode == HaMode.LegacyActiveStandby)
        {
            var peer = ses.FirstOrDefault(s => s.Name != next.Name && s.OperState == OperState.Up);
            if (Actives(next) > 0 && peer is not null)
            {
                return new UpgradeStep(UpgradeStepKind.SwitchoverSe, next.Name, $"switch the {Actives(next)} virtual service(s) active on {next.Name} over to {peer.Name} before upgrading it");
            }

            return new UpgradeStep(UpgradeStepKind.StartUpgrade, next.Name, Actives(next) > 0
                ? $"upgrade {next.Name}: its peer is not up, its virtual services will be down meanwhile"
                : $"upgrade {next.Name}: it is active for no virtual service");
        }

        if (Load(next) == 0)
        {
            return new UpgradeStep(UpgradeStepKind.StartUpgrade, next.Name, $"upgrade {next.Name}: it holds no virtual service");
        }

        if (next.EnableState != SeEnableState.Disabled)
        {
            return new UpgradeStep(UpgradeStepKind.DisableForMigration, next.Name, $"disable {next.Name} so that its {Load(next)} placement(s) migrate away before the upgrade");
        }

        var state = placement?.ServiceEngines.FirstOrDefault(r => r.SeRef == next.Name)?.OperState;
        if (state == OperState.ErrorDisabled)
        {
            // The documented N+M exception: a VS that cannot move is down while its SE reboots.
            return new UpgradeStep(UpgradeStepKind.StartUpgrade, next.Name, $"upgrade {next.Name}: some virtual services could not migrate and are down during its upgrade");
        }

        return new UpgradeStep(UpgradeStepKind.Wait, next.Name, $"{next.Name}: virtual services are still draining away");
    }

    private static Dictionary<string, int> ActiveCounts(GroupPlacement? placement)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (placement is null)
        {
            return counts;
        }

        foreach (var vs in placement.VirtualServices)
        {
            if (vs.PrimarySeRef is { } primary)
            {
                counts[primary] = counts.GetValueOrDefault(primary) + 1;
            }
        }

        return counts;
    }
}
