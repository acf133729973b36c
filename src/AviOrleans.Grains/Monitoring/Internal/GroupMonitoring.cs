using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>
/// Everything this SE monitors for one group: its gateway probes, whose results go to the group grain whenever one
/// crosses a threshold, and its pool checks, whose results are kept here for the API; the first passed check of a
/// virtual service this SE has just become primary for is reported for the failover's timeline.
/// </summary>
internal sealed class GroupMonitoring(string group, MonitorServices services)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, GatewayProbe> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Vs, string Ip, int? Port, string Monitor), PoolCheck> _checks = [];
    private readonly Dictionary<string, PoolMonitoring> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Vs, string Ip, int? Port), (PoolMemberState State, DateTimeOffset? ChangedAt)> _members = [];
    private readonly Dictionary<string, long> _awaitingFirstPass = new(StringComparer.Ordinal);
    private int _reporting;
    private long _gatewayVersion;
    private long _gatewayReported;

    public MonitorServices Services { get; } = services;

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _gateways.Count == 0 && _checks.Count == 0;
            }
        }
    }

    /// <summary>Starts what the assignment adds, stops what it drops, keeps the probes whose configuration is unchanged.</summary>
    public void Apply(MonitoringAssignment assignment)
    {
        var stopped = new List<MonitorLoop>();
        var started = new List<MonitorLoop>();
        lock (_gate)
        {
            var gateways = assignment.GatewayMonitors.ToDictionary(m => AddressClaims.Canonical(m.GatewayIp), StringComparer.Ordinal);
            var gatewaysChanged = false;
            foreach (var (ip, probe) in _gateways.ToArray())
            {
                if (!gateways.TryGetValue(ip, out var config) || !config.Equals(probe.Config))
                {
                    _gateways.Remove(ip);
                    stopped.Add(probe);
                    gatewaysChanged = true;
                }
            }

            foreach (var (ip, config) in gateways)
            {
                if (!_gateways.ContainsKey(ip))
                {
                    var probe = new GatewayProbe(config, this);
                    _gateways[ip] = probe;
                    started.Add(probe);
                    gatewaysChanged = true;
                }
            }

            if (gatewaysChanged)
            {
                // Report the new set at once (new monitors as reachable), so that the API lists every monitor.
                _gatewayVersion++;
            }

            var checks = new Dictionary<(string, string, int?, string), (string Vs, PoolServer Server, HealthMonitor Monitor)>();
            foreach (var pool in assignment.Pools)
            {
                foreach (var server in pool.Servers)
                {
                    foreach (var monitor in pool.Monitors)
                    {
                        checks[CheckKey(pool.VsRef, server, monitor.Name)] = (pool.VsRef, server, monitor);
                    }
                }
            }

            foreach (var (key, check) in _checks.ToArray())
            {
                if (!checks.TryGetValue(key, out var wanted) || !wanted.Monitor.Equals(check.Monitor) || !wanted.Server.Equals(check.Server))
                {
                    _checks.Remove(key);
                    stopped.Add(check);
                }
            }

            foreach (var (key, wanted) in checks)
            {
                if (!_checks.ContainsKey(key))
                {
                    var check = new PoolCheck(wanted.Vs, wanted.Server, wanted.Monitor, this);
                    _checks[key] = check;
                    started.Add(check);
                }
            }

            var previous = new Dictionary<string, PoolMonitoring>(_pools, StringComparer.Ordinal);
            _pools.Clear();
            foreach (var pool in assignment.Pools)
            {
                _pools[pool.VsRef] = pool;
                var was = previous.GetValueOrDefault(pool.VsRef);
                if (pool.IsPrimary && (was is not { IsPrimary: true } || was.PrimarySinceEpoch != pool.PrimarySinceEpoch))
                {
                    _awaitingFirstPass[pool.VsRef] = pool.PrimarySinceEpoch;
                }
                else if (!pool.IsPrimary)
                {
                    _awaitingFirstPass.Remove(pool.VsRef);
                }
            }

            foreach (var vs in _awaitingFirstPass.Keys.Where(vs => !_pools.ContainsKey(vs)).ToArray())
            {
                _awaitingFirstPass.Remove(vs);
            }

            foreach (var key in _members.Keys.Where(k => !_pools.ContainsKey(k.Vs)).ToArray())
            {
                _members.Remove(key);
            }
        }

        foreach (var loop in stopped)
        {
            loop.Stop();
        }

        foreach (var loop in started)
        {
            loop.Start();
        }

        _ = ReportGatewaysIfPendingAsync();
    }

    public void StopAll()
    {
        lock (_gate)
        {
            foreach (var loop in _gateways.Values.Cast<MonitorLoop>().Concat(_checks.Values))
            {
                loop.Stop();
            }

            _gateways.Clear();
            _checks.Clear();
        }
    }

    /// <summary>A gateway crossed a threshold: its group must hear of it.</summary>
    public void GatewayChanged()
    {
        lock (_gate)
        {
            _gatewayVersion++;
        }
    }

    /// <summary>Sends this SE's gateway results to the group when they changed since the last delivered report.</summary>
    public async Task ReportGatewaysIfPendingAsync()
    {
        if (Interlocked.Exchange(ref _reporting, 1) != 0)
        {
            return; // a report is under way; the next probe round sends what it missed
        }

        try
        {
            long version;
            EquatableArray<GatewayMonitorStatus> statuses;
            lock (_gate)
            {
                if (_gatewayReported == _gatewayVersion)
                {
                    return;
                }

                version = _gatewayVersion;
                statuses = [.. _gateways.Values.Select(g => new GatewayMonitorStatus { GatewayIp = g.Config.GatewayIp, Reachable = g.Reachable })];
            }

            try
            {
                await Services.Grains.GetGrain<IServiceEngineGroupGrain>(group).ReportGatewayMonitorsAsync(Services.SeName, statuses).ConfigureAwait(false);
                lock (_gate)
                {
                    _gatewayReported = Math.Max(_gatewayReported, version);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MonitoringLog.GatewayReportFailed(Services.Logger, Services.SeName, group, ex);
            }
        }
        finally
        {
            Volatile.Write(ref _reporting, 0);
        }
    }

    /// <summary>One check ended: refresh its server's state, and report the first pass of a new primary.</summary>
    public async Task CheckedAsync(PoolCheck check, bool passed, DateTimeOffset at)
    {
        long? firstPassEpoch = null;
        (PoolMemberState State, string Reason)? changed = null;
        lock (_gate)
        {
            if (!_checks.TryGetValue(CheckKey(check.VsRef, check.Server, check.Monitor.Name), out var current) || !ReferenceEquals(current, check))
            {
                return; // stopped meanwhile
            }

            var member = MemberKey(check.VsRef, check.Server);
            var (state, reason, _) = Aggregate(check.VsRef, check.Server);
            var was = _members.GetValueOrDefault(member);
            if (was.State != state)
            {
                _members[member] = (state, at);
                changed = (state, reason);
            }

            if (passed && _awaitingFirstPass.Remove(check.VsRef, out var epoch))
            {
                firstPassEpoch = epoch;
            }
        }

        if (changed is { } c)
        {
            MonitoringLog.PoolMemberChanged(Services.Logger, Services.SeName, check.VsRef, check.Server.Ip, check.Server.Port ?? PoolServer.DefaultServerPort, c.State, c.Reason);
        }

        if (firstPassEpoch is { } e)
        {
            try
            {
                await Services.Grains.GetGrain<IServiceEngineGroupGrain>(group).ReportFirstHealthCheckAsync(Services.SeName, check.VsRef, e, at).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MonitoringLog.FirstCheckReportFailed(Services.Logger, Services.SeName, check.VsRef, group, ex);
            }
        }
    }

    /// <summary>Each server of <paramref name="vsRef"/>'s pool as this SE sees it.</summary>
    public IEnumerable<PoolMemberHealth> PoolHealth(string vsRef)
    {
        lock (_gate)
        {
            if (!_pools.TryGetValue(vsRef, out var pool) || pool.Monitors.IsEmpty)
            {
                return [];
            }

            return [.. pool.Servers.Select(server =>
            {
                var (state, reason, lastCheck) = Aggregate(vsRef, server);
                return new PoolMemberHealth(
                    vsRef,
                    server.Ip,
                    server.Port ?? PoolServer.DefaultServerPort,
                    Services.SeName,
                    pool.IsStandby,
                    state,
                    reason,
                    lastCheck,
                    _members.TryGetValue(MemberKey(vsRef, server), out var m) ? m.ChangedAt : null);
            })];
        }
    }

    // A server is up while every monitor of the pool passes, down when one of them failed, unknown before each has spoken.
    private (PoolMemberState State, string Reason, DateTimeOffset? LastCheckAt) Aggregate(string vsRef, PoolServer server)
    {
        var anyDown = false;
        var allUp = true;
        var reason = string.Empty;
        DateTimeOffset? last = null;
        foreach (var monitor in _pools.TryGetValue(vsRef, out var pool) ? pool.Monitors : default)
        {
            if (!_checks.TryGetValue(CheckKey(vsRef, server, monitor.Name), out var check))
            {
                allUp = false;
                continue;
            }

            var (isUp, why, at) = check.Snapshot();
            last = at > last || last is null ? at : last;
            allUp &= isUp == true;
            if (isUp == false && !anyDown)
            {
                anyDown = true;
                reason = why;
            }
        }

        return (anyDown ? PoolMemberState.Down : allUp ? PoolMemberState.Up : PoolMemberState.Unknown, reason, last);
    }

    private static (string Vs, string Ip, int? Port) MemberKey(string vsRef, PoolServer server) => (vsRef, server.Ip, server.Port);

    private static (string Vs, string Ip, int? Port, string Monitor) CheckKey(string vsRef, PoolServer server, string monitor) => (vsRef, server.Ip, server.Port, monitor);
}
