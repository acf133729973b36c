using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>
/// Monitoring: from the committed placement each SE is told what to monitor (the group's gateways in legacy HA; the
/// pools of the virtual services it is active for, and of those it stands by for when <c>hm_on_standby</c> is on),
/// and sent it again when that changes. The SEs' gateway results come back as an input of the placement (AS-45), and
/// a new primary's first passed health check completes its failover's timeline.
/// </summary>
internal sealed partial class ServiceEngineGroupGrain
{
    private readonly Dictionary<string, MonitoringAssignment> _monitoringSent = new(StringComparer.Ordinal);

    public Task<MonitoringAssignment?> GetMonitoringAsync(string seName) =>
        Task.FromResult(_config.Group is not null && _config.Engines.ContainsKey(seName) ? MonitoringFor(seName) : null);

    public Task ReportGatewayMonitorsAsync(string seName, EquatableArray<GatewayMonitorStatus> monitors) =>
        DecideAsync<string>(
            EngineKind,
            seName,
            config =>
            {
                if (config.Group is not { } group || config.Engines.GetValueOrDefault(seName) is not { } se)
                {
                    return Plan.Nothing(seName); // the SE left the group since the prober's assignment
                }

                var kept = MonitoredOnly(group, monitors);
                return se.GatewayMonitors.Equals(kept)
                    ? Plan.Nothing(seName)
                    : new Plan(new ConfigurationChange { UpsertServiceEngines = [se with { GatewayMonitors = kept }] }, seName);
            },
            validateOnly: false);

    public Task ReportFirstHealthCheckAsync(string seName, string vsRef, long epoch, DateTimeOffset at)
    {
        RecordFirstHealthCheck(seName, vsRef, epoch, at);
        return Task.CompletedTask;
    }

    public async Task<ImmutableArray<PoolMemberHealth>> GetPoolHealthAsync(string vsRef)
    {
        var group = RequireGroup(_config);
        if (!_config.VirtualServices.ContainsKey(vsRef))
        {
            throw new HaObjectNotFoundException(VirtualServiceKind, vsRef);
        }

        var ses = Placement?.GetHealthMonitoringSes(vsRef, group.HmOnStandby) ?? [];
        var views = await Task.WhenAll(ses.Where(IsReachable).Select(async se =>
        {
            try
            {
                return await GrainFactory.GetGrain<IServiceEngineGrain>(se).GetPoolHealthAsync(vsRef);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Its silo went away since the placement was read: it checks nothing any more.
                GrainLog.PoolHealthUnavailable(_logger, Name, se, ex);
                return [];
            }
        }));
        return [.. views.SelectMany(v => v)];
    }

    /// <summary>Keeps the results of gateways the group monitors, in the group's order (the rest are stale: a monitor was removed).</summary>
    private static EquatableArray<GatewayMonitorStatus> MonitoredOnly(ServiceEngineGroup group, EquatableArray<GatewayMonitorStatus> monitors)
    {
        var results = new Dictionary<string, GatewayMonitorStatus>(StringComparer.Ordinal);
        foreach (var monitor in monitors)
        {
            if (monitor?.GatewayIp is { } ip)
            {
                results[AddressClaims.Canonical(ip)] = monitor;
            }
        }

        return [.. group.GatewayMon
            .Select(m => results.GetValueOrDefault(AddressClaims.Canonical(m.GatewayIp)))
            .OfType<GatewayMonitorStatus>()];
    }

    private MonitoringAssignment MonitoringFor(string seName)
    {
        var group = _config.Group!;
        var placement = Placement;
        var pools = ImmutableArray.CreateBuilder<PoolMonitoring>();
        foreach (var vs in placement?.VirtualServices ?? default)
        {
            if (!_config.VirtualServices.TryGetValue(vs.VsRef, out var config) || config.PoolHealthMonitors.IsEmpty || config.PoolServers.IsEmpty
                || !placement!.GetHealthMonitoringSes(vs.VsRef, group.HmOnStandby).Contains(seName, StringComparer.Ordinal))
            {
                continue;
            }

            var entry = vs.SeList.First(e => string.Equals(e.SeRef, seName, StringComparison.Ordinal) && !e.DeleteInProgress);
            var primary = string.Equals(vs.PrimarySeRef, seName, StringComparison.Ordinal);
            pools.Add(new PoolMonitoring(vs.VsRef, entry.IsStandby, primary, primary ? vs.Epoch : 0, config.PoolServers, config.PoolHealthMonitors));
        }

        var gateways = group.HaMode == HaMode.LegacyActiveStandby ? group.GatewayMon : default;
        return new MonitoringAssignment(Name, placement?.Epoch ?? 0, gateways, pools.ToImmutable());
    }

    /// <summary>Sends each reachable SE its monitoring when it changed (SEs that left the group are told to stop).</summary>
    private async Task SendMonitoringAsync()
    {
        if (_config.Group is null)
        {
            return;
        }

        var wanted = _config.Engines.Keys.Where(IsReachable).Select(se => (Se: se, Assignment: MonitoringFor(se)))
            .Concat(_monitoringSent.Keys.Where(se => !_config.Engines.ContainsKey(se)).ToArray()
                .Select(se => (Se: se, Assignment: new MonitoringAssignment(Name, Placement?.Epoch ?? 0, default, []))))
            .Where(w => !w.Assignment.SameWorkAs(_monitoringSent.GetValueOrDefault(w.Se)))
            .ToArray();
        var sent = await Task.WhenAll(wanted.Select(async w =>
        {
            try
            {
                await GrainFactory.GetGrain<IServiceEngineGrain>(w.Se).MonitorAsync(w.Assignment);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                GrainLog.MonitoringNotDelivered(_logger, Name, w.Se, ex);
                return false;
            }
        }));
        for (var i = 0; i < wanted.Length; i++)
        {
            if (!sent[i])
            {
                continue;
            }

            if (_config.Engines.ContainsKey(wanted[i].Se))
            {
                _monitoringSent[wanted[i].Se] = wanted[i].Assignment;
            }
            else
            {
                _monitoringSent.Remove(wanted[i].Se);
            }
        }
    }
}
