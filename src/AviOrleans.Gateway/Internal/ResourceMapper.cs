using AviOrleans.Api.V1;
using AviOrleans.Domain;
using D = AviOrleans.Domain;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// Converts the API's configuration messages to domain objects and back. Absent optional fields
/// and *_UNSPECIFIED enums take the domain's (Avi's) defaults; output-only fields are ignored on
/// input and come from the control plane on output. Problems the conversion itself finds (an enum
/// number the API does not define, a missing name) are collected, each with its API field path.
/// </summary>
internal static class ResourceMapper
{
    public static D.ServiceEngineGroup ToDomain(Api.V1.ServiceEngineGroup g, string prefix)
    {
        var violations = new List<FieldViolation>();
        RequireName(g.Name, prefix, violations);
        var defaults = new D.ServiceEngineGroup { Name = g.Name };
        var result = defaults with
        {
            HaMode = EnumMap.ToDomain(g.HaMode, defaults.HaMode, prefix + ".ha_mode", violations),
            Algo = EnumMap.ToDomain(g.Algo, defaults.Algo, prefix + ".algo", violations),
            MaxVsPerSe = g.HasMaxVsPerSe ? g.MaxVsPerSe : defaults.MaxVsPerSe,
            MinScaleoutPerVs = g.HasMinScaleoutPerVs ? g.MinScaleoutPerVs : defaults.MinScaleoutPerVs,
            MaxScaleoutPerVs = g.HasMaxScaleoutPerVs ? g.MaxScaleoutPerVs : defaults.MaxScaleoutPerVs,
            BufferSe = g.HasBufferSe ? g.BufferSe : defaults.BufferSe,
            MaxSe = g.HasMaxSe ? g.MaxSe : defaults.MaxSe,
            MinSe = g.HasMinSe ? g.MinSe : defaults.MinSe,
            DistributeLoadActiveStandby = g.DistributeLoadActiveStandby,
            AutoRedistributeActiveStandbyLoad = g.AutoRedistributeActiveStandbyLoad,
            HmOnStandby = g.HasHmOnStandby ? g.HmOnStandby : defaults.HmOnStandby,
            VsHostRedundancy = g.HasVsHostRedundancy ? g.VsHostRedundancy : defaults.VsHostRedundancy,
            FloatingIntfIp = [.. g.FloatingIntfIp],
            FloatingIntfIpSe2 = [.. g.FloatingIntfIpSe2],
            PerApp = g.PerApp,
            AggressiveFailureDetection = g.AggressiveFailureDetection,
            DpHbFrequency = g.HasDpHbFrequency ? g.DpHbFrequency : defaults.DpHbFrequency,
            DpHbTimeoutCount = g.HasDpHbTimeoutCount ? g.DpHbTimeoutCount : defaults.DpHbTimeoutCount,
            DpAggressiveHbFrequency = g.HasDpAggressiveHbFrequency ? g.DpAggressiveHbFrequency : defaults.DpAggressiveHbFrequency,
            DpAggressiveHbTimeoutCount = g.HasDpAggressiveHbTimeoutCount ? g.DpAggressiveHbTimeoutCount : defaults.DpAggressiveHbTimeoutCount,
            ActiveStandby = g.ActiveStandby,
            AutoRebalance = g.AutoRebalance,
            AutoRebalanceInterval = g.HasAutoRebalanceInterval ? g.AutoRebalanceInterval : defaults.AutoRebalanceInterval,
            MaxCpuUsage = g.HasMaxCpuUsage ? g.MaxCpuUsage : defaults.MaxCpuUsage,
            MinCpuUsage = g.HasMinCpuUsage ? g.MinCpuUsage : defaults.MinCpuUsage,
            SeDeprovisionDelay = g.HasSeDeprovisionDelay ? g.SeDeprovisionDelay : defaults.SeDeprovisionDelay,
            VsScaleinTimeout = g.HasVsScaleinTimeout ? g.VsScaleinTimeout : defaults.VsScaleinTimeout,
            VsScaleoutTimeout = g.HasVsScaleoutTimeout ? g.VsScaleoutTimeout : defaults.VsScaleoutTimeout,
            VsScaleinTimeoutForUpgrade = g.HasVsScaleinTimeoutForUpgrade ? g.VsScaleinTimeoutForUpgrade : defaults.VsScaleinTimeoutForUpgrade,
            VsSwitchoverTimeout = g.HasVsSwitchoverTimeout ? g.VsSwitchoverTimeout : defaults.VsSwitchoverTimeout,
            VsSeScaleoutReadyTimeout = g.HasVsSeScaleoutReadyTimeout ? g.VsSeScaleoutReadyTimeout : defaults.VsSeScaleoutReadyTimeout,
            GatewayMon = [.. g.GatewayMon.Select(ToDomain)],
        };
        ThrowIfAny(violations);
        return result;
    }

    public static Api.V1.ServiceEngineGroup ToApi(D.ServiceEngineGroup g) => new()
    {
        Name = g.Name,
        HaMode = EnumMap.ToApi<Api.V1.HaMode>(g.HaMode.ToAviName()),
        Algo = EnumMap.ToApi<Api.V1.PlacementAlgo>(g.Algo.ToAviName()),
        MaxVsPerSe = g.MaxVsPerSe,
        MinScaleoutPerVs = g.MinScaleoutPerVs,
        MaxScaleoutPerVs = g.MaxScaleoutPerVs,
        BufferSe = g.BufferSe,
        MaxSe = g.MaxSe,
        MinSe = g.MinSe,
        DistributeLoadActiveStandby = g.DistributeLoadActiveStandby,
        AutoRedistributeActiveStandbyLoad = g.AutoRedistributeActiveStandbyLoad,
        HmOnStandby = g.HmOnStandby,
        VsHostRedundancy = g.VsHostRedundancy,
        FloatingIntfIp = { g.FloatingIntfIp },
        FloatingIntfIpSe2 = { g.FloatingIntfIpSe2 },
        PerApp = g.PerApp,
        AggressiveFailureDetection = g.AggressiveFailureDetection,
        DpHbFrequency = g.DpHbFrequency,
        DpHbTimeoutCount = g.DpHbTimeoutCount,
        DpAggressiveHbFrequency = g.DpAggressiveHbFrequency,
        DpAggressiveHbTimeoutCount = g.DpAggressiveHbTimeoutCount,
        ActiveStandby = g.ActiveStandby,
        AutoRebalance = g.AutoRebalance,
        AutoRebalanceInterval = g.AutoRebalanceInterval,
        MaxCpuUsage = g.MaxCpuUsage,
        MinCpuUsage = g.MinCpuUsage,
        SeDeprovisionDelay = g.SeDeprovisionDelay,
        VsScaleinTimeout = g.VsScaleinTimeout,
        VsScaleoutTimeout = g.VsScaleoutTimeout,
        VsScaleinTimeoutForUpgrade = g.VsScaleinTimeoutForUpgrade,
        VsSwitchoverTimeout = g.VsSwitchoverTimeout,
        VsSeScaleoutReadyTimeout = g.VsSeScaleoutReadyTimeout,
        GatewayMon = { g.GatewayMon.Select(ToApi) },
    };

    private static D.GatewayMonitor ToDomain(Api.V1.GatewayMonitor m)
    {
        var defaults = new D.GatewayMonitor { GatewayIp = m.GatewayIp };
        return defaults with
        {
            GatewayMonitorInterval = m.HasGatewayMonitorInterval ? m.GatewayMonitorInterval : defaults.GatewayMonitorInterval,
            GatewayMonitorFailThreshold = m.HasGatewayMonitorFailThreshold ? m.GatewayMonitorFailThreshold : defaults.GatewayMonitorFailThreshold,
            GatewayMonitorSuccessThreshold = m.HasGatewayMonitorSuccessThreshold ? m.GatewayMonitorSuccessThreshold : defaults.GatewayMonitorSuccessThreshold,
        };
    }

    private static Api.V1.GatewayMonitor ToApi(D.GatewayMonitor m) => new()
    {
        GatewayIp = m.GatewayIp,
        GatewayMonitorInterval = m.GatewayMonitorInterval,
        GatewayMonitorFailThreshold = m.GatewayMonitorFailThreshold,
        GatewayMonitorSuccessThreshold = m.GatewayMonitorSuccessThreshold,
    };

    private static D.HealthMonitor ToDomain(Api.V1.HealthMonitor m, string prefix, List<FieldViolation> violations)
    {
        var defaults = new D.HealthMonitor { Name = m.Name };
        return defaults with
        {
            Type = EnumMap.ToDomain(m.Type, defaults.Type, prefix + ".type", violations),
            SendInterval = m.HasSendInterval ? m.SendInterval : defaults.SendInterval,
            ReceiveTimeout = m.HasReceiveTimeout ? m.ReceiveTimeout : defaults.ReceiveTimeout,
            SuccessfulChecks = m.HasSuccessfulChecks ? m.SuccessfulChecks : defaults.SuccessfulChecks,
            FailedChecks = m.HasFailedChecks ? m.FailedChecks : defaults.FailedChecks,
            MonitorPort = m.MonitorPort == 0 ? null : m.MonitorPort,
            HttpMonitor = m.HttpMonitor is { } http
                ? new D.HealthMonitorHttp
                {
                    HttpRequest = http.HasHttpRequest ? http.HttpRequest : D.HealthMonitorHttp.DefaultHttpRequest,
                    HttpResponseCode = [.. http.HttpResponseCode.Select((c, i) => c == Api.V1.HttpResponseCode.Unspecified
                        ? Invalid<D.HttpResponseCode>($"{prefix}.http_monitor.http_response_code[{i}]", "HTTP_RESPONSE_CODE_UNSPECIFIED is not a response code class", violations)
                        : EnumMap.ToDomain(c, D.HttpResponseCode.Http2xx, $"{prefix}.http_monitor.http_response_code[{i}]", violations))],
                }
                : null,
        };
    }

    private static Api.V1.HealthMonitor ToApi(D.HealthMonitor m) => new()
    {
        Name = m.Name,
        Type = EnumMap.ToApi<Api.V1.HealthMonitorType>(m.Type.ToAviName()),
        SendInterval = m.SendInterval,
        ReceiveTimeout = m.ReceiveTimeout,
        SuccessfulChecks = m.SuccessfulChecks,
        FailedChecks = m.FailedChecks,
        MonitorPort = m.MonitorPort ?? 0,
        HttpMonitor = m.HttpMonitor is { } http
            ? new Api.V1.HealthMonitorHttp
            {
                HttpRequest = http.HttpRequest,
                HttpResponseCode = { http.HttpResponseCode.Select(c => EnumMap.ToApi<Api.V1.HttpResponseCode>(c.ToAviName())) },
            }
            : null,
    };

    private static T Invalid<T>(string field, string description, List<FieldViolation> violations)
        where T : struct, Enum
    {
        violations.Add(new FieldViolation(field, description));
        return default;
    }

    /// <summary>An SE from the API; the runtime fields (oper state, version, gateway reachability) come from <paramref name="current"/>.</summary>
    public static D.ServiceEngine ToDomain(Api.V1.ServiceEngine s, D.ServiceEngine? current, string prefix)
    {
        var violations = new List<FieldViolation>();
        RequireName(s.Name, prefix, violations);
        var defaults = current ?? new D.ServiceEngine { Name = s.Name, SeGroupRef = s.SeGroupRef };
        var result = defaults with
        {
            Name = s.Name,
            SeGroupRef = s.SeGroupRef,
            EnableState = EnumMap.ToDomain(s.EnableState, SeEnableState.Enabled, prefix + ".enable_state", violations),
            HostRef = s.HostRef.Length == 0 ? null : s.HostRef,
        };
        ThrowIfAny(violations);
        return result;
    }

    public static Api.V1.ServiceEngine ToApi(D.ServiceEngine s, GroupPlacement? placement)
    {
        var runtime = placement?.ServiceEngines.FirstOrDefault(r => string.Equals(r.SeRef, s.Name, StringComparison.Ordinal));
        var state = runtime?.OperState ?? s.OperState;
        return new Api.V1.ServiceEngine
        {
            Name = s.Name,
            SeGroupRef = s.SeGroupRef,
            EnableState = EnumMap.ToApi<SeState>(s.EnableState.ToAviName()),
            HostRef = s.HostRef ?? string.Empty,
            Version = s.Version ?? string.Empty,
            OperStatus = new OperationalStatus
            {
                State = EnumMap.ToApi<Api.V1.OperState>(state.ToAviName()),
                Reason = s.ReachesGateways() ? string.Empty : LostGateways(s),
            },
            VsCount = runtime?.Load ?? 0,
        };
    }

    private static string LostGateways(D.ServiceEngine s)
    {
        var lost = s.GatewayMonitors.Where(m => !m.Reachable).Select(m => m.GatewayIp).ToArray();
        return lost.Length == 0
            ? "the monitored gateway is unreachable from this SE"
            : $"gateway {string.Join(", ", lost)} unreachable from this SE";
    }

    public static D.VirtualService ToDomain(Api.V1.VirtualService v, string prefix)
    {
        var violations = new List<FieldViolation>();
        RequireName(v.Name, prefix, violations);
        var defaults = new D.VirtualService { Name = v.Name, SeGroupRef = v.SeGroupRef };
        var result = defaults with
        {
            Enabled = v.HasEnabled ? v.Enabled : defaults.Enabled,
            TrafficEnabled = v.HasTrafficEnabled ? v.TrafficEnabled : defaults.TrafficEnabled,
            Vip = [.. v.Vip.Select(ToDomain)],
            VsvipRef = v.VsvipRef.Length == 0 ? null : v.VsvipRef,
            SnatIp = [.. v.SnatIp],
            PoolServers = [.. v.PoolServers.Select(p => new D.PoolServer { Ip = p.Ip, Port = p.HasPort ? p.Port : null })],
            PoolHealthMonitors = [.. v.PoolHealthMonitors.Select((m, i) => ToDomain(m, $"{prefix}.pool_health_monitors[{i}]", violations))],
            ActiveStandbySeTag = EnumMap.ToDomain(v.ActiveStandbySeTag, defaults.ActiveStandbySeTag, prefix + ".active_standby_se_tag", violations),
            UseVipAsSnat = v.UseVipAsSnat,
        };
        ThrowIfAny(violations);
        return result;
    }

    public static Api.V1.VirtualService ToApi(D.VirtualService v, VsPlacement? placement) => new()
    {
        Name = v.Name,
        SeGroupRef = v.SeGroupRef,
        Vip = { v.Vip.Select(ToApi) },
        Enabled = v.Enabled,
        TrafficEnabled = v.TrafficEnabled,
        ActiveStandbySeTag = EnumMap.ToApi<Api.V1.ActiveStandbySeTag>(v.ActiveStandbySeTag.ToAviName()),
        VsvipRef = v.VsvipRef ?? string.Empty,
        UseVipAsSnat = v.UseVipAsSnat,
        OperStatus = placement is null ? null : new OperationalStatus
        {
            State = EnumMap.ToApi<Api.V1.OperState>(placement.OperState.ToAviName()),
            Reason = placement.Reason ?? string.Empty,
        },
        SnatIp = { v.SnatIp },
        PoolServers = { v.PoolServers.Select(p => p.Port is { } port ? new Api.V1.PoolServer { Ip = p.Ip, Port = port } : new Api.V1.PoolServer { Ip = p.Ip }) },
        PoolHealthMonitors = { v.PoolHealthMonitors.Select(ToApi) },
    };

    public static D.VsVip ToDomain(Api.V1.VsVip v, string prefix)
    {
        var violations = new List<FieldViolation>();
        RequireName(v.Name, prefix, violations);
        ThrowIfAny(violations);
        return new D.VsVip { Name = v.Name, Vip = [.. v.Vip.Select(ToDomain)] };
    }

    public static Api.V1.VsVip ToApi(D.VsVip v) => new() { Name = v.Name, Vip = { v.Vip.Select(ToApi) } };

    private static D.Vip ToDomain(Api.V1.Vip v) => new()
    {
        VipId = v.VipId,
        IpAddress = v.IpAddress.Length == 0 ? null : v.IpAddress,
        Ip6Address = v.Ip6Address.Length == 0 ? null : v.Ip6Address,
        Enabled = !v.HasEnabled || v.Enabled,
    };

    private static Api.V1.Vip ToApi(D.Vip v) => new()
    {
        VipId = v.VipId,
        IpAddress = v.IpAddress ?? string.Empty,
        Ip6Address = v.Ip6Address ?? string.Empty,
        Enabled = v.Enabled,
    };

    private static void RequireName(string name, string prefix, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            violations.Add(new FieldViolation(prefix + ".name", "A name is required."));
        }
    }

    private static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new InvalidRequestException(violations);
        }
    }
}
