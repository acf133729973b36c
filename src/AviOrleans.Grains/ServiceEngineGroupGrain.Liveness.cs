using AviOrleans.Domain;
using Orleans.Runtime;

namespace AviOrleans.Grains;

/// <summary>
/// SE liveness: Orleans membership (the silo of SE x is named x) tells the group, through the
/// silo-local watcher and through a periodic re-read of the local membership view; reports and
/// suspicions are kept for the failover timelines.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    private readonly Dictionary<string, (DateTimeOffset? SuspectedAt, DateTimeOffset? DeadAt, string? Reason)> _liveness = new(StringComparer.Ordinal);
    private readonly HashSet<SiloAddress> _leaving = [];
    private IGrainTimer? _reconcileTimer;
    private IGrainTimer? _drainTimer;

    public Task ReportMembershipAsync(string seName, bool up, DateTimeOffset at)
    {
        // Every silo's watcher reports from its own view, which may lag or lead this one's (and an
        // old incarnation's death may arrive after the new one joined): act only on reports this
        // silo's view agrees with. This silo's own watcher reports once its view catches up.
        if (_options.ServiceEngineLiveness != ServiceEngineLiveness.Membership
            || _config.Engines.GetValueOrDefault(seName) is not { } se
            || !NeedsChange(se.OperState, up)
            || LocalLiveness(seName) != up)
        {
            return Task.CompletedTask;
        }

        NoteLiveness(seName, up, at, up ? "its silo is Active" : "its silo was declared Dead");
        if (!up)
        {
            StartFencing(seName);
        }

        return DecideAsync<HaOperationResult>(EngineKind, seName, config => SetLiveness(config, seName, up), validateOnly: false);
    }

    public Task ReportSuspicionAsync(string seName, DateTimeOffset at, string reason)
    {
        var known = _liveness.GetValueOrDefault(seName);
        if (known.SuspectedAt is null || known.DeadAt is not null)
        {
            _liveness[seName] = (at, null, reason);
        }

        GrainLog.Suspected(_logger, Name, seName, reason);
        return Task.CompletedTask;
    }

    private void NoteLiveness(string seName, bool up, DateTimeOffset at, string reason)
    {
        if (up)
        {
            _liveness.Remove(seName);
        }
        else
        {
            var known = _liveness.GetValueOrDefault(seName);
            _liveness[seName] = (known.SuspectedAt, known.DeadAt ?? at, reason);
        }
    }

    /// <summary>The state a newly added SE starts in: up unless membership says its silo is not Active.</summary>
    private OperState InitialOperState(string seName) =>
        _options.ServiceEngineLiveness == ServiceEngineLiveness.Membership && LocalLiveness(seName) != true ? OperState.Down : OperState.Up;

    /// <summary>
    /// This silo's view of SE <paramref name="seName"/>: true when a silo of that name is Active
    /// (and not handing off before it leaves), false when none is alive (all Dead, or none ever
    /// joined), null while one is joining or stopping.
    /// </summary>
    private bool? LocalLiveness(string seName)
    {
        if (_membership is null)
        {
            return null;
        }

        var named = _membership.CurrentSnapshot.Members.Values.Where(m => string.Equals(m.Name, seName, StringComparison.Ordinal)).ToArray();
        if (named.Any(m => m.Status == SiloStatus.Active && !_leaving.Contains(m.SiloAddress)))
        {
            return true;
        }

        return named.All(m => m.Status == SiloStatus.Dead) ? false : null;
    }

    // Membership moves an SE between up and down (or back up after it left, or after an upgrade it did not come back
    // from in time); an SE being upgraded or disabled keeps that state.
    private static bool NeedsChange(OperState current, bool up) =>
        up ? current is OperState.Down or OperState.Inactive or OperState.Failed : current == OperState.Up;

    private static Internal.Plan SetLiveness(Internal.GroupConfig config, string seName, bool up) =>
        config.Engines.GetValueOrDefault(seName) is { } se && NeedsChange(se.OperState, up)
            ? new Internal.Plan(new ConfigurationChange { UpsertServiceEngines = [se with { OperState = up ? OperState.Up : OperState.Down }] }, null)
            : Internal.Plan.Nothing(new HaOperationResult([], [], 0));

    private void StartBackgroundWork()
    {
        if (_options.ServiceEngineLiveness == ServiceEngineLiveness.Membership && _membership is not null)
        {
            _reconcileTimer ??= this.RegisterGrainTimer(
                ReconcileMembershipAsync,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = _options.MembershipReconcilePeriod, Interleave = true, KeepAlive = true });
        }

        ScheduleDrainTimer();
        KickDriver();
    }

    private async Task ReconcileMembershipAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var se in _config.Engines.Values.ToArray())
        {
            if (LocalLiveness(se.Name) is { } up && NeedsChange(se.OperState, up))
            {
                await ReportMembershipAsync(se.Name, up, now);
            }
        }

        MoveHomeWhenSteady();
    }

    // The engine drops a draining placement when it runs at or after its deadline: run it then.
    private void ScheduleDrainTimer()
    {
        var next = Placement?.GetNextDeadline();
        _drainTimer?.Dispose();
        _drainTimer = null;
        if (next is null)
        {
            return;
        }

        var due = next.Value - _time.GetUtcNow();
        _drainTimer = this.RegisterGrainTimer(
            _ => DecideAsync<HaOperationResult>(GroupKind, Name, _ => new Internal.Plan(null, null), validateOnly: false),
            new GrainTimerCreationOptions { DueTime = due < TimeSpan.Zero ? TimeSpan.Zero : due, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }
}
