using System.Net.Sockets;
using AviOrleans.Domain.Internal;

namespace AviOrleans.Domain;

/// <summary>
/// Validates configuration objects and whole configurations, returning every violation with its field path
/// (AS-02 enums, AS-03 ranges, AS-04 legacy pair size, AS-08 VIP-as-SNAT in active/active, AS-09 moving an enabled
/// VS, AS-47 disabling a legacy SE, addresses, references and duplicate addresses). Pure: it changes nothing.
/// </summary>
public static class ConfigurationValidator
{
    private const int MaxFloatingIps = 32;

    /// <summary>Checks one group on its own (fields and ranges).</summary>
    /// <param name="group">The group.</param>
    /// <param name="path">The path prefix, e.g. <c>serviceenginegroup</c> or <c>serviceenginegroup[0]</c>.</param>
    public static IReadOnlyList<FieldViolation> ValidateServiceEngineGroup(ServiceEngineGroup group, string path = "serviceenginegroup")
    {
        ArgumentNullException.ThrowIfNull(group);
        var v = new ViolationList();
        CheckGroup(v, group, path);
        return v.Items;
    }

    /// <summary>Checks one SE on its own.</summary>
    public static IReadOnlyList<FieldViolation> ValidateServiceEngine(ServiceEngine serviceEngine, string path = "serviceengine")
    {
        ArgumentNullException.ThrowIfNull(serviceEngine);
        var v = new ViolationList();
        CheckServiceEngine(v, serviceEngine, path);
        return v.Items;
    }

    /// <summary>Checks one VS on its own (its VIPs, SNAT IPs and servers included).</summary>
    public static IReadOnlyList<FieldViolation> ValidateVirtualService(VirtualService virtualService, string path = "virtualservice")
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        var v = new ViolationList();
        CheckVirtualService(v, virtualService, path, null);
        return v.Items;
    }

    /// <summary>Checks one shared VIP set on its own.</summary>
    public static IReadOnlyList<FieldViolation> ValidateVsVip(VsVip vsVip, string path = "vsvip")
    {
        ArgumentNullException.ThrowIfNull(vsVip);
        var v = new ViolationList();
        CheckVsVip(v, vsVip, path, null);
        return v.Items;
    }

    /// <summary>
    /// Checks a whole configuration: every object, then references, pair sizes and address ownership across objects. Every
    /// registered SE counts against its group's <c>max_se</c> (a change is judged with the SEs' liveness by
    /// <see cref="Validate(ConfigurationChange, HaConfiguration, IEnumerable{GroupPlacement}?)"/>).
    /// </summary>
    public static IReadOnlyList<FieldViolation> Validate(HaConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Validate(configuration, countMaxSe: true);
    }

    private static List<FieldViolation> Validate(HaConfiguration configuration, bool countMaxSe)
    {
        var v = new ViolationList();
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = new Dictionary<string, ServiceEngineGroup>(StringComparer.Ordinal);
        for (var i = 0; i < configuration.ServiceEngineGroups.Count; i++)
        {
            var g = configuration.ServiceEngineGroups[i];
            var path = $"serviceenginegroup[{i}]";
            CheckGroup(v, g, path);
            if (!string.IsNullOrWhiteSpace(g.Name) && !groups.TryAdd(g.Name, g))
            {
                v.Add(path + ".name", ViolationCode.Duplicate, $"service engine group name '{g.Name}' is used twice");
            }

            CheckFloatingOwnership(v, g, path, addresses);
        }

        CheckServiceEngines(v, configuration, groups, countMaxSe);
        var vsvips = new Dictionary<string, VsVip>(StringComparer.Ordinal);
        for (var i = 0; i < configuration.VsVips.Count; i++)
        {
            var vsvip = configuration.VsVips[i];
            var path = $"vsvip[{i}]";
            CheckVsVip(v, vsvip, path, addresses);
            if (!string.IsNullOrWhiteSpace(vsvip.Name) && !vsvips.TryAdd(vsvip.Name, vsvip))
            {
                v.Add(path + ".name", ViolationCode.Duplicate, $"vsvip name '{vsvip.Name}' is used twice");
            }
        }

        CheckVirtualServices(v, configuration, groups, vsvips, addresses);
        CheckAgent(v, configuration.SeAgentProperties, "seagentproperties");
        CheckController(v, configuration.ControllerProperties, "controllerproperties");
        return v.Items;
    }

    /// <summary>Checks the controller's SE and upgrade timers.</summary>
    public static IReadOnlyList<FieldViolation> ValidateControllerProperties(ControllerProperties properties, string path = "controllerproperties")
    {
        ArgumentNullException.ThrowIfNull(properties);
        var v = new ViolationList();
        CheckController(v, properties, path);
        return v.Items;
    }

    private static void CheckController(ViolationList v, ControllerProperties c, string p)
    {
        if (c is null)
        {
            v.Add(p, ViolationCode.Required, "controllerproperties is required");
            return;
        }

        v.Range(p + ".unresponsive_se_reboot", c.UnresponsiveSeReboot, 0, 86400, "unresponsive_se_reboot");
        v.Range(p + ".del_offline_se_after_reboot_delay", c.DelOfflineSeAfterRebootDelay, 0, 86400, "del_offline_se_after_reboot_delay");
        v.Range(p + ".upgrade_lease_time", c.UpgradeLeaseTime, 1, 86400, "upgrade_lease_time");
    }

    /// <summary>Checks the failure-confirmation settings.</summary>
    public static IReadOnlyList<FieldViolation> ValidateSeAgentProperties(SeAgentProperties properties, string path = "seagentproperties")
    {
        ArgumentNullException.ThrowIfNull(properties);
        var v = new ViolationList();
        CheckAgent(v, properties, path);
        return v.Items;
    }

    private static void CheckAgent(ViolationList v, SeAgentProperties a, string p)
    {
        if (a is null)
        {
            v.Add(p, ViolationCode.Required, "seagentproperties is required");
            return;
        }

        v.AtLeast(p + ".controller_echo_rpc_timeout", a.ControllerEchoRpcTimeout, 1, "controller_echo_rpc_timeout");
        v.Range(p + ".controller_echo_miss_limit", a.ControllerEchoMissLimit, 1, 1000, "controller_echo_miss_limit");
        v.AtLeast(p + ".controller_echo_rpc_aggressive_timeout", a.ControllerEchoRpcAggressiveTimeout, 1, "controller_echo_rpc_aggressive_timeout");
        v.Range(p + ".controller_echo_miss_aggressive_limit", a.ControllerEchoMissAggressiveLimit, 1, 1000, "controller_echo_miss_aggressive_limit");
        v.Range(p + ".controller_heartbeat_interval_sec", a.ControllerHeartbeatIntervalSec, 1, 60, "controller_heartbeat_interval_sec");
        v.Range(p + ".controller_heartbeat_miss_limit", a.ControllerHeartbeatMissLimit, 1, 20, "controller_heartbeat_miss_limit");
    }

    /// <summary>
    /// Checks a change against the current configuration: the resulting configuration must be valid, and the
    /// transition allowed — an enabled VS may not move to another group (AS-09: disable it first), a group's
    /// <c>ha_mode</c> may not change while any of its VSs is placed, an SE may join an elastic group only while the
    /// SEs counting against its <c>max_se</c> leave room (a dead SE stops counting once its placement says so, see
    /// <see cref="SeRuntime.CountsAgainstMaxSe"/>; liveness changes of members are never refused for <c>max_se</c>).
    /// Says whether the change changes nothing.
    /// </summary>
    /// <param name="change">The change.</param>
    /// <param name="current">The current configuration.</param>
    /// <param name="placements">The current placements, to tell which VSs are placed and which dead SEs no longer count; null counts every enabled VS as placed and every SE against <c>max_se</c>.</param>
    public static ChangeValidationResult Validate(ConfigurationChange change, HaConfiguration current, IEnumerable<GroupPlacement>? placements = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(current);
        var proposed = change.ApplyTo(current);
        if (proposed == current)
        {
            return new ChangeValidationResult(current, [], ChangesNothing: true);
        }

        var v = new ViolationList();
        v.Items.AddRange(Validate(proposed, countMaxSe: false));
        CheckMaxSeTransition(v, current, proposed, placements);
        var before = new Dictionary<string, VirtualService>(StringComparer.Ordinal);
        foreach (var vs in current.VirtualServices)
        {
            before.TryAdd(vs.Name, vs);
        }

        for (var i = 0; i < proposed.VirtualServices.Count; i++)
        {
            var vs = proposed.VirtualServices[i];
            if (before.TryGetValue(vs.Name, out var old) && old.Enabled && vs.Enabled
                && !string.Equals(old.SeGroupRef, vs.SeGroupRef, StringComparison.Ordinal))
            {
                v.Add($"virtualservice[{i}].se_group_ref", ViolationCode.NotAllowed,
                    $"virtual service {vs.Name} is enabled: disable it before moving it from group {old.SeGroupRef} to {vs.SeGroupRef}");
            }
        }

        var placedGroups = PlacedGroups(current, placements);
        var oldGroups = current.ServiceEngineGroups.GroupBy(g => g.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var i = 0; i < proposed.ServiceEngineGroups.Count; i++)
        {
            var g = proposed.ServiceEngineGroups[i];
            if (oldGroups.TryGetValue(g.Name, out var old) && old.HaMode != g.HaMode && placedGroups.Contains(g.Name))
            {
                v.Add($"serviceenginegroup[{i}].ha_mode", ViolationCode.NotAllowed,
                    $"group {g.Name} has placed virtual services: ha_mode cannot change from {old.HaMode.ToAviName()} to {g.HaMode.ToAviName()} until they are disabled");
            }
        }

        return new ChangeValidationResult(proposed, v.Items, ChangesNothing: false);
    }

    /// <summary>
    /// <c>max_se</c> as a transition rule: an SE that joins an elastic group (new, or moved in), or a lowered
    /// <c>max_se</c>, is refused when the group's SEs that count against it would exceed it. A dead SE past its retention
    /// (its group's placement says it no longer counts, and it is still not up) leaves room for a replacement.
    /// </summary>
    private static void CheckMaxSeTransition(ViolationList v, HaConfiguration current, HaConfiguration proposed, IEnumerable<GroupPlacement>? placements)
    {
        var released = new HashSet<(string Group, string Se)>();
        foreach (var placement in placements ?? [])
        {
            foreach (var r in placement.ServiceEngines)
            {
                if (!r.CountsAgainstMaxSe)
                {
                    released.Add((placement.SeGroupRef, r.SeRef));
                }
            }
        }

        var before = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var se in current.ServiceEngines)
        {
            before.TryAdd(se.Name, se.SeGroupRef);
        }

        var oldMax = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var g in current.ServiceEngineGroups)
        {
            oldMax.TryAdd(g.Name, g.MaxSe);
        }

        for (var gi = 0; gi < proposed.ServiceEngineGroups.Count; gi++)
        {
            var g = proposed.ServiceEngineGroups[gi];
            if (g.HaMode == HaMode.LegacyActiveStandby)
            {
                continue;
            }

            var counting = new List<string>();
            var joined = new List<int>();
            for (var i = 0; i < proposed.ServiceEngines.Count; i++)
            {
                var se = proposed.ServiceEngines[i];
                if (!string.Equals(se.SeGroupRef, g.Name, StringComparison.Ordinal))
                {
                    continue;
                }

                var member = before.TryGetValue(se.Name, out var oldGroup) && string.Equals(oldGroup, g.Name, StringComparison.Ordinal);
                if (!member)
                {
                    joined.Add(i);
                }

                if (!member || se.OperState == OperState.Up || !released.Contains((g.Name, se.Name)))
                {
                    counting.Add(se.Name);
                }
            }

            if (counting.Count <= g.MaxSe)
            {
                continue;
            }

            var why = $"group {g.Name} has max_se = {g.MaxSe} and {counting.Count} service engines counting against it (a dead one counts until unresponsive_se_reboot + del_offline_se_after_reboot_delay have passed)";
            foreach (var i in joined)
            {
                v.Add($"serviceengine[{i}].se_group_ref", ViolationCode.Conflict, why);
            }

            if (oldMax.TryGetValue(g.Name, out var old) && g.MaxSe < old)
            {
                v.Add($"serviceenginegroup[{gi}].max_se", ViolationCode.Conflict, why);
            }
        }
    }

    private static HashSet<string> PlacedGroups(HaConfiguration current, IEnumerable<GroupPlacement>? placements)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (placements is null)
        {
            foreach (var vs in current.VirtualServices.Where(vs => vs.Enabled))
            {
                result.Add(vs.SeGroupRef);
            }

            return result;
        }

        foreach (var placement in placements)
        {
            if (placement.VirtualServices.Any(vs => !vs.SeList.IsEmpty))
            {
                result.Add(placement.SeGroupRef);
            }
        }

        return result;
    }

    private static void CheckGroup(ViolationList v, ServiceEngineGroup g, string p)
    {
        v.Required(p + ".name", g.Name, "name");
        v.Enum(p + ".ha_mode", g.HaMode, "ha_mode");
        v.Enum(p + ".algo", g.Algo, "algo");
        v.Range(p + ".max_vs_per_se", g.MaxVsPerSe, 1, 1000, "max_vs_per_se");
        v.Range(p + ".min_scaleout_per_vs", g.MinScaleoutPerVs, 1, 64, "min_scaleout_per_vs");
        v.Range(p + ".max_scaleout_per_vs", g.MaxScaleoutPerVs, 1, 64, "max_scaleout_per_vs");
        v.Range(p + ".max_se", g.MaxSe, 0, 1000, "max_se");
        v.Range(p + ".min_se", g.MinSe, 0, 1000, "min_se");
        v.Range(p + ".buffer_se", g.BufferSe, 0, Math.Max(0, g.MaxSe), "buffer_se");
        v.Range(p + ".max_cpu_usage", g.MaxCpuUsage, 40, 90, "max_cpu_usage");
        v.Range(p + ".min_cpu_usage", g.MinCpuUsage, 20, 60, "min_cpu_usage");
        v.Range(p + ".se_deprovision_delay", g.SeDeprovisionDelay, 0, 525600, "se_deprovision_delay");
        v.AtLeast(p + ".auto_rebalance_interval", g.AutoRebalanceInterval, 1, "auto_rebalance_interval");
        v.AtLeast(p + ".vs_scalein_timeout", g.VsScaleinTimeout, 0, "vs_scalein_timeout");
        v.AtLeast(p + ".vs_scaleout_timeout", g.VsScaleoutTimeout, 0, "vs_scaleout_timeout");
        v.AtLeast(p + ".vs_scalein_timeout_for_upgrade", g.VsScaleinTimeoutForUpgrade, 0, "vs_scalein_timeout_for_upgrade");
        v.AtLeast(p + ".vs_switchover_timeout", g.VsSwitchoverTimeout, 0, "vs_switchover_timeout");
        v.Range(p + ".vs_se_scaleout_ready_timeout", g.VsSeScaleoutReadyTimeout, 0, 90, "vs_se_scaleout_ready_timeout");
        v.AtLeast(p + ".dp_hb_frequency", g.DpHbFrequency, 1, "dp_hb_frequency");
        v.AtLeast(p + ".dp_hb_timeout_count", g.DpHbTimeoutCount, 1, "dp_hb_timeout_count");
        v.AtLeast(p + ".dp_aggressive_hb_frequency", g.DpAggressiveHbFrequency, 1, "dp_aggressive_hb_frequency");
        v.AtLeast(p + ".dp_aggressive_hb_timeout_count", g.DpAggressiveHbTimeoutCount, 1, "dp_aggressive_hb_timeout_count");
        if (g.MinScaleoutPerVs > g.MaxScaleoutPerVs)
        {
            v.Add(p + ".min_scaleout_per_vs", ViolationCode.Conflict, $"min_scaleout_per_vs ({g.MinScaleoutPerVs}) must not exceed max_scaleout_per_vs ({g.MaxScaleoutPerVs})");
        }

        if (g.MinSe > g.MaxSe)
        {
            v.Add(p + ".min_se", ViolationCode.Conflict, $"min_se ({g.MinSe}) must not exceed max_se ({g.MaxSe})");
        }

        for (var i = 0; i < g.AutoRebalanceCriteria.Count; i++)
        {
            v.Enum($"{p}.auto_rebalance_criteria[{i}]", g.AutoRebalanceCriteria[i], "auto_rebalance_criteria");
            if (g.AutoRebalanceCriteria[i] != AutoRebalanceCriterion.Cpu && (i >= g.AutoRebalanceCapacityPerSe.Count || g.AutoRebalanceCapacityPerSe[i] <= 0))
            {
                v.Add($"{p}.auto_rebalance_capacity_per_se[{i}]", ViolationCode.Required, $"{g.AutoRebalanceCriteria[i].ToAviName()} needs a positive SE capacity at the same position of auto_rebalance_capacity_per_se");
            }
        }

        if (g.AutoRebalanceCapacityPerSe.Count > g.AutoRebalanceCriteria.Count)
        {
            v.Add(p + ".auto_rebalance_capacity_per_se", ViolationCode.Conflict, $"auto_rebalance_capacity_per_se has {g.AutoRebalanceCapacityPerSe.Count} entries for {g.AutoRebalanceCriteria.Count} auto_rebalance_criteria");
        }

        if (g.MinCpuUsage >= g.MaxCpuUsage)
        {
            v.Add(p + ".min_cpu_usage", ViolationCode.Conflict, $"min_cpu_usage ({g.MinCpuUsage}) must be below max_cpu_usage ({g.MaxCpuUsage})");
        }

        // A VS takes each of its min_scaleout_per_vs placements on an SE of its own (at least 2 in active/active, §2.3):
        // a group that may never have that many SEs leaves every VS short for good. max_se = 0 (a group that holds no SE,
        // AS-03) has nothing to place on anyway.
        var minScaleout = g.HaMode == HaMode.SharedPair ? Math.Max(2, g.MinScaleoutPerVs) : g.MinScaleoutPerVs;
        if (g.HaMode != HaMode.LegacyActiveStandby && g.MaxSe > 0 && minScaleout > g.MaxSe)
        {
            var atLeastTwo = g.MinScaleoutPerVs < minScaleout ? $" ({HaMode.SharedPair.ToAviName()} places each virtual service on at least 2)" : string.Empty;
            v.Add(p + (g.MinScaleoutPerVs > g.MaxSe ? ".min_scaleout_per_vs" : ".max_se"), ViolationCode.Conflict,
                $"every virtual service needs {minScaleout} service engines of its own{atLeastTwo}, and max_se = {g.MaxSe} never gives it that many");
        }

        if (g.HaMode == HaMode.LegacyActiveStandby && g.MinSe > 2)
        {
            v.Add(p + ".min_se", ViolationCode.NotAllowed, $"a {HaMode.LegacyActiveStandby.ToAviName()} group is a pair of service engines: min_se must be at most 2");
        }

        switch (g.HaMode)
        {
            case HaMode.LegacyActiveStandby when g.MinScaleoutPerVs > 1:
                v.Add(p + ".min_scaleout_per_vs", ViolationCode.NotAllowed, $"{HaMode.LegacyActiveStandby.ToAviName()} has exactly one active placement per virtual service: min_scaleout_per_vs must be 1");
                break;
            case HaMode.SharedPair when g.MaxScaleoutPerVs < 2:
                v.Add(p + ".max_scaleout_per_vs", ViolationCode.NotAllowed, $"{HaMode.SharedPair.ToAviName()} places each virtual service on at least 2 service engines: max_scaleout_per_vs must be at least 2");
                break;
            default:
                break;
        }

        CheckFloatingList(v, g, g.FloatingIntfIp, p + ".floating_intf_ip", "floating_intf_ip");
        CheckFloatingList(v, g, g.FloatingIntfIpSe2, p + ".floating_intf_ip_se_2", "floating_intf_ip_se_2");
        CheckGatewayMonitors(v, g, p + ".gateway_mon");
    }

    private static void CheckGatewayMonitors(ViolationList v, ServiceEngineGroup g, string p)
    {
        if (g.GatewayMon.IsEmpty)
        {
            return;
        }

        // Avi runs gateway monitors only in legacy-HA groups (D-GWMON): elsewhere nothing would act on them.
        if (g.HaMode != HaMode.LegacyActiveStandby)
        {
            v.Add(p, ViolationCode.NotAllowed, $"gateway_mon applies only to {HaMode.LegacyActiveStandby.ToAviName()} groups");
        }

        if (g.GatewayMon.Count > ServiceEngineGroup.MaxGatewayMonitors)
        {
            v.Add(p, ViolationCode.OutOfRange, $"gateway_mon holds at most {ServiceEngineGroup.MaxGatewayMonitors} monitors (got {g.GatewayMon.Count})");
        }

        var gateways = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < g.GatewayMon.Count; i++)
        {
            var m = g.GatewayMon[i];
            var mp = $"{p}[{i}]";
            if (m is null)
            {
                v.Add(mp, ViolationCode.Required, "a gateway monitor needs a gateway_ip");
                continue;
            }

            if (v.Address(mp + ".gateway_ip", m.GatewayIp, "gateway_ip", null) is { } canonical && !gateways.Add(canonical))
            {
                v.Add(mp + ".gateway_ip", ViolationCode.Duplicate, $"gateway {m.GatewayIp} is monitored twice");
            }

            v.Range(mp + ".gateway_monitor_interval", m.GatewayMonitorInterval, 100, 60000, "gateway_monitor_interval");
            v.Range(mp + ".gateway_monitor_fail_threshold", m.GatewayMonitorFailThreshold, 3, 50, "gateway_monitor_fail_threshold");
            v.Range(mp + ".gateway_monitor_success_threshold", m.GatewayMonitorSuccessThreshold, 3, 50, "gateway_monitor_success_threshold");
        }
    }

    private static void CheckHealthMonitors(ViolationList v, EquatableArray<HealthMonitor> monitors, string p)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < monitors.Count; i++)
        {
            var m = monitors[i];
            var mp = $"{p}[{i}]";
            if (m is null)
            {
                v.Add(mp, ViolationCode.Required, "a health monitor needs a name");
                continue;
            }

            v.Required(mp + ".name", m.Name, "name");
            if (!string.IsNullOrWhiteSpace(m.Name) && !names.Add(m.Name))
            {
                v.Add(mp + ".name", ViolationCode.Duplicate, $"health monitor {m.Name} is attached twice");
            }

            v.Enum(mp + ".type", m.Type, "type");
            v.Range(mp + ".send_interval", m.SendInterval, 1, 3600, "send_interval");
            v.Range(mp + ".receive_timeout", m.ReceiveTimeout, 1, 2400, "receive_timeout");
            v.Range(mp + ".successful_checks", m.SuccessfulChecks, 1, 50, "successful_checks");
            v.Range(mp + ".failed_checks", m.FailedChecks, 1, 50, "failed_checks");
            if (m.MonitorPort is { } port)
            {
                v.Range(mp + ".monitor_port", port, 1, 65535, "monitor_port");
            }

            // Avi: "This timeout must be less than the send interval", or checks of one server would overlap.
            if (m.ReceiveTimeout >= m.SendInterval)
            {
                v.Add(mp + ".receive_timeout", ViolationCode.Conflict, $"receive_timeout ({m.ReceiveTimeout}) must be less than send_interval ({m.SendInterval})");
            }

            if (m.HttpMonitor is not { } http)
            {
                continue;
            }

            if (m.Type != HealthMonitorType.Http)
            {
                v.Add(mp + ".http_monitor", ViolationCode.Conflict, $"http_monitor applies only to {HealthMonitorType.Http.ToAviName()} monitors");
            }

            if (!IsRequestLine(http.HttpRequest))
            {
                v.Add(mp + ".http_monitor.http_request", ViolationCode.Malformed, "http_request must be one request line, METHOD target HTTP/1.0 or HTTP/1.1 (headers are added)");
            }

            for (var j = 0; j < http.HttpResponseCode.Count; j++)
            {
                v.Enum($"{mp}.http_monitor.http_response_code[{j}]", http.HttpResponseCode[j], "http_response_code");
            }
        }
    }

    // METHOD SP target SP HTTP/1.x, printable ASCII only: the prober sends it as the request line.
    private static bool IsRequestLine(string? line)
    {
        if (string.IsNullOrEmpty(line) || line.Any(c => (c < 0x21 && c != ' ') || c > 0x7e))
        {
            return false;
        }

        var parts = line.Split(' ');
        return parts.Length == 3
            && parts[0].Length > 0 && parts[0].All(char.IsAsciiLetterUpper)
            && parts[1].Length > 0
            && parts[2] is "HTTP/1.0" or "HTTP/1.1";
    }

    private static void CheckFloatingList(ViolationList v, ServiceEngineGroup g, EquatableArray<string> list, string p, string field)
    {
        if (list.IsEmpty)
        {
            return;
        }

        if (g.HaMode != HaMode.LegacyActiveStandby)
        {
            v.Add(p, ViolationCode.NotAllowed, $"{field} applies only to {HaMode.LegacyActiveStandby.ToAviName()} groups");
        }

        if (list.Count > MaxFloatingIps)
        {
            v.Add(p, ViolationCode.OutOfRange, $"{field} holds at most {MaxFloatingIps} addresses (got {list.Count})");
        }

        for (var i = 0; i < list.Count; i++)
        {
            v.Address($"{p}[{i}]", list[i], field, null);
        }
    }

    private static void CheckFloatingOwnership(ViolationList v, ServiceEngineGroup g, string p, Dictionary<string, string> addresses)
    {
        for (var i = 0; i < g.FloatingIntfIp.Count; i++)
        {
            Claim(v, addresses, g.FloatingIntfIp[i], $"{p}.floating_intf_ip[{i}]", $"serviceenginegroup {g.Name} (floating_intf_ip)");
        }

        for (var i = 0; i < g.FloatingIntfIpSe2.Count; i++)
        {
            Claim(v, addresses, g.FloatingIntfIpSe2[i], $"{p}.floating_intf_ip_se_2[{i}]", $"serviceenginegroup {g.Name} (floating_intf_ip_se_2)");
        }
    }

    /// <summary>Records that <paramref name="owner"/> uses an address; a second user is a violation (one owner per address).</summary>
    private static void Claim(ViolationList v, Dictionary<string, string> addresses, string? value, string path, string owner)
    {
        if (value is null || ViolationList.Canonical(value, null) is not { } canonical)
        {
            return;
        }

        if (addresses.TryGetValue(canonical, out var existing))
        {
            v.Add(path, ViolationCode.Duplicate, $"{value} is already used by {existing}");
        }
        else
        {
            addresses.Add(canonical, owner);
        }
    }

    private static void CheckServiceEngine(ViolationList v, ServiceEngine s, string p)
    {
        v.Required(p + ".name", s.Name, "name");
        v.Required(p + ".se_group_ref", s.SeGroupRef, "se_group_ref");
        v.Enum(p + ".enable_state", s.EnableState, "enable_state");
        v.Enum(p + ".oper_status.state", s.OperState, "oper_status.state");
        var gateways = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < s.GatewayMonitors.Count; i++)
        {
            var monitor = s.GatewayMonitors[i];
            var path = $"{p}.gateway_monitors[{i}].gateway_ip";
            if (monitor is null)
            {
                v.Add(path, ViolationCode.Required, "gateway_ip is required");
            }
            else if (v.Address(path, monitor.GatewayIp, "gateway_ip", null) is { } canonical && !gateways.Add(canonical))
            {
                v.Add(path, ViolationCode.Duplicate, $"gateway {monitor.GatewayIp} is monitored twice");
            }
        }
    }

    private static void CheckServiceEngines(ViolationList v, HaConfiguration c, Dictionary<string, ServiceEngineGroup> groups, bool countMaxSe)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < c.ServiceEngines.Count; i++)
        {
            var s = c.ServiceEngines[i];
            var p = $"serviceengine[{i}]";
            CheckServiceEngine(v, s, p);
            if (!string.IsNullOrWhiteSpace(s.Name) && !names.Add(s.Name))
            {
                v.Add(p + ".name", ViolationCode.Duplicate, $"service engine name '{s.Name}' is used twice");
            }

            if (string.IsNullOrWhiteSpace(s.SeGroupRef))
            {
                continue;
            }

            if (!groups.TryGetValue(s.SeGroupRef, out var g))
            {
                v.Add(p + ".se_group_ref", ViolationCode.UnknownReference, $"service engine group '{s.SeGroupRef}' does not exist");
                continue;
            }

            if (!members.TryGetValue(g.Name, out var list))
            {
                list = [];
                members.Add(g.Name, list);
            }

            list.Add(s.Name);
            if (g.HaMode == HaMode.LegacyActiveStandby)
            {
                if (list.Count > 2)
                {
                    v.Add(p + ".se_group_ref", ViolationCode.Conflict,
                        $"group {g.Name} is {HaMode.LegacyActiveStandby.ToAviName()} and already has two service engines ({list[0]}, {list[1]}); a legacy pair never has a third");
                }

                if (s.EnableState != SeEnableState.Enabled)
                {
                    v.Add(p + ".enable_state", ViolationCode.NotAllowed,
                        $"a service engine of a {HaMode.LegacyActiveStandby.ToAviName()} group cannot be disabled on its own; use switchover serviceengine");
                }
            }
            else if (countMaxSe && list.Count > g.MaxSe)
            {
                v.Add(p + ".se_group_ref", ViolationCode.Conflict, $"group {g.Name} already has max_se = {g.MaxSe} service engines");
            }
        }
    }

    private static void CheckVips(ViolationList v, EquatableArray<Vip> vips, string p, string owner, Dictionary<string, string>? addresses)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < vips.Count; i++)
        {
            var vip = vips[i];
            var vp = $"{p}.vip[{i}]";
            v.Required(vp + ".vip_id", vip.VipId, "vip_id");
            if (!string.IsNullOrWhiteSpace(vip.VipId) && !ids.Add(vip.VipId))
            {
                v.Add(vp + ".vip_id", ViolationCode.Duplicate, $"vip_id '{vip.VipId}' is used twice");
            }

            if (vip.IpAddress is null && vip.Ip6Address is null)
            {
                v.Add(vp + ".ip_address", ViolationCode.Required, "a VIP needs ip_address or ip6_address");
            }

            if (vip.IpAddress is not null && v.Address(vp + ".ip_address", vip.IpAddress, "ip_address", AddressFamily.InterNetwork) is not null && addresses is not null)
            {
                Claim(v, addresses, vip.IpAddress, vp + ".ip_address", $"{owner} (vip {vip.VipId})");
            }

            if (vip.Ip6Address is not null && v.Address(vp + ".ip6_address", vip.Ip6Address, "ip6_address", AddressFamily.InterNetworkV6) is not null && addresses is not null)
            {
                Claim(v, addresses, vip.Ip6Address, vp + ".ip6_address", $"{owner} (vip {vip.VipId})");
            }
        }
    }

    private static void CheckVsVip(ViolationList v, VsVip vsvip, string p, Dictionary<string, string>? addresses)
    {
        v.Required(p + ".name", vsvip.Name, "name");
        if (vsvip.Vip.IsEmpty)
        {
            v.Add(p + ".vip", ViolationCode.Required, "a vsvip needs at least one vip");
        }

        CheckVips(v, vsvip.Vip, p, $"vsvip {vsvip.Name}", addresses);
    }

    private static void CheckVirtualService(ViolationList v, VirtualService vs, string p, Dictionary<string, string>? addresses)
    {
        v.Required(p + ".name", vs.Name, "name");
        v.Required(p + ".se_group_ref", vs.SeGroupRef, "se_group_ref");
        v.Enum(p + ".active_standby_se_tag", vs.ActiveStandbySeTag, "active_standby_se_tag");
        if (vs.VsvipRef is not null && !vs.Vip.IsEmpty)
        {
            v.Add(p + ".vsvip_ref", ViolationCode.Conflict, "set either vsvip_ref or vip, not both");
        }

        if (vs.VsvipRef is null && vs.Vip.IsEmpty)
        {
            v.Add(p + ".vip", ViolationCode.Required, "a virtual service needs at least one vip (or a vsvip_ref)");
        }

        CheckVips(v, vs.Vip, p, $"virtualservice {vs.Name}", addresses);
        for (var i = 0; i < vs.SnatIp.Count; i++)
        {
            var sp = $"{p}.snat_ip[{i}]";
            if (v.Address(sp, vs.SnatIp[i], "snat_ip", null) is not null && addresses is not null)
            {
                Claim(v, addresses, vs.SnatIp[i], sp, $"virtualservice {vs.Name} (snat_ip)");
            }
        }

        for (var i = 0; i < vs.PoolServers.Count; i++)
        {
            var server = vs.PoolServers[i];
            v.Address($"{p}.pool_servers[{i}].ip", server.Ip, "ip", null);
            if (server.Port is { } port)
            {
                v.Range($"{p}.pool_servers[{i}].port", port, 1, 65535, "port");
            }
        }

        CheckHealthMonitors(v, vs.PoolHealthMonitors, p + ".pool_health_monitors");
    }

    private static void CheckVirtualServices(ViolationList v, HaConfiguration c, Dictionary<string, ServiceEngineGroup> groups, Dictionary<string, VsVip> vsvips, Dictionary<string, string> addresses)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var vsvipGroup = new Dictionary<string, (string Group, string Vs)>(StringComparer.Ordinal);
        for (var i = 0; i < c.VirtualServices.Count; i++)
        {
            var vs = c.VirtualServices[i];
            var p = $"virtualservice[{i}]";
            CheckVirtualService(v, vs, p, addresses);
            if (!string.IsNullOrWhiteSpace(vs.Name) && !names.Add(vs.Name))
            {
                v.Add(p + ".name", ViolationCode.Duplicate, $"virtual service name '{vs.Name}' is used twice");
            }

            if (!string.IsNullOrWhiteSpace(vs.SeGroupRef))
            {
                if (!groups.TryGetValue(vs.SeGroupRef, out var g))
                {
                    v.Add(p + ".se_group_ref", ViolationCode.UnknownReference, $"service engine group '{vs.SeGroupRef}' does not exist");
                }
                else if (g.HaMode == HaMode.SharedPair && vs.UseVipAsSnat)
                {
                    v.Add(p + ".use_vip_as_snat", ViolationCode.NotAllowed, $"use_vip_as_snat cannot be used in {HaMode.SharedPair.ToAviName()} group {g.Name}");
                }
            }

            if (vs.VsvipRef is { } r)
            {
                if (!vsvips.ContainsKey(r))
                {
                    v.Add(p + ".vsvip_ref", ViolationCode.UnknownReference, $"vsvip '{r}' does not exist");
                }
                else if (vsvipGroup.TryGetValue(r, out var first) && !string.Equals(first.Group, vs.SeGroupRef, StringComparison.Ordinal))
                {
                    v.Add(p + ".se_group_ref", ViolationCode.Conflict,
                        $"virtual services sharing vsvip {r} must be in one group: {first.Vs} is in {first.Group}");
                }
                else
                {
                    vsvipGroup.TryAdd(r, (vs.SeGroupRef, vs.Name));
                }
            }
        }
    }
}
