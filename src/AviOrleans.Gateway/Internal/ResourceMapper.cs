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
    };

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
                Reason = s.GatewayReachable ? string.Empty : "the monitored gateway is unreachable from this SE",
            },
            VsCount = runtime?.Load ?? 0,
        };
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
