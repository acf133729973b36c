using System.Text.Json;
using AviOrleans.Domain;

namespace AviOrleans.Silo.Configuration;

/// <summary>
/// Reads a configuration file (Avi-style JSON) into the domain model and validates it. Every problem is reported
/// with its field path: unparsable JSON, unknown fields, unknown enum names (AS-02), then everything
/// <see cref="ConfigurationValidator"/> finds.
/// </summary>
internal static class ConfigurationLoader
{
    /// <summary>Parses and validates <paramref name="json"/>; the configuration is null when JSON or enum names are wrong.</summary>
    public static (HaConfiguration? Configuration, IReadOnlyList<FieldViolation> Violations) Parse(string json)
    {
        ConfigurationFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, SiloJsonContext.Default.ConfigurationFile);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
            return (null, [new FieldViolation(path, "not valid JSON here: " + FirstLine(ex.Message), ViolationCode.Malformed)]);
        }

        if (file is null)
        {
            return (null, [new FieldViolation("$", "the file holds no configuration object", ViolationCode.Required)]);
        }

        var violations = new List<FieldViolation>();
        var configuration = Map(file, violations);
        violations.AddRange(ConfigurationValidator.Validate(configuration));
        return (configuration, violations);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private static HaConfiguration Map(ConfigurationFile file, List<FieldViolation> v)
    {
        Unknown(file.Unknown, string.Empty, v);
        var defaults = new SeAgentProperties();
        var agent = file.Seagentproperties;
        Unknown(agent?.Unknown, "seagentproperties", v);
        var timers = new ControllerProperties();
        var controller = file.Controllerproperties;
        Unknown(controller?.Unknown, "controllerproperties", v);
        return new HaConfiguration
        {
            ServiceEngineGroups = (file.Serviceenginegroup ?? []).Select((g, i) => MapGroup(g, $"serviceenginegroup[{i}]", v)).ToEquatableArray(),
            ServiceEngines = (file.Serviceengine ?? []).Select((s, i) => MapServiceEngine(s, $"serviceengine[{i}]", v)).ToEquatableArray(),
            VsVips = (file.Vsvip ?? []).Select((x, i) => new VsVip { Name = x.Name ?? string.Empty, Vip = MapVips(x.Vip, $"vsvip[{i}]", x.Unknown, v) }).ToEquatableArray(),
            VirtualServices = (file.Virtualservice ?? []).Select((x, i) => MapVirtualService(x, $"virtualservice[{i}]", v)).ToEquatableArray(),
            SeAgentProperties = new SeAgentProperties
            {
                ControllerEchoRpcTimeout = agent?.ControllerEchoRpcTimeout ?? defaults.ControllerEchoRpcTimeout,
                ControllerEchoMissLimit = agent?.ControllerEchoMissLimit ?? defaults.ControllerEchoMissLimit,
                ControllerEchoRpcAggressiveTimeout = agent?.ControllerEchoRpcAggressiveTimeout ?? defaults.ControllerEchoRpcAggressiveTimeout,
                ControllerEchoMissAggressiveLimit = agent?.ControllerEchoMissAggressiveLimit ?? defaults.ControllerEchoMissAggressiveLimit,
                ControllerHeartbeatIntervalSec = agent?.ControllerHeartbeatIntervalSec ?? defaults.ControllerHeartbeatIntervalSec,
                ControllerHeartbeatMissLimit = agent?.ControllerHeartbeatMissLimit ?? defaults.ControllerHeartbeatMissLimit,
            },
            ControllerProperties = new ControllerProperties
            {
                UnresponsiveSeReboot = controller?.UnresponsiveSeReboot ?? timers.UnresponsiveSeReboot,
                DelOfflineSeAfterRebootDelay = controller?.DelOfflineSeAfterRebootDelay ?? timers.DelOfflineSeAfterRebootDelay,
                UpgradeLeaseTime = controller?.UpgradeLeaseTime ?? timers.UpgradeLeaseTime,
            },
        };
    }

    private static ServiceEngineGroup MapGroup(ConfigurationFile.GroupJson g, string p, List<FieldViolation> v)
    {
        Unknown(g.Unknown, p, v);
        var d = new ServiceEngineGroup { Name = g.Name ?? string.Empty };
        return d with
        {
            HaMode = Enum(g.HaMode, d.HaMode, p + ".ha_mode", v),
            Algo = Enum(g.Algo, d.Algo, p + ".algo", v),
            ActiveStandby = g.ActiveStandby ?? d.ActiveStandby,
            DistributeLoadActiveStandby = g.DistributeLoadActiveStandby ?? d.DistributeLoadActiveStandby,
            AutoRedistributeActiveStandbyLoad = g.AutoRedistributeActiveStandbyLoad ?? d.AutoRedistributeActiveStandbyLoad,
            MaxVsPerSe = g.MaxVsPerSe ?? d.MaxVsPerSe,
            MinScaleoutPerVs = g.MinScaleoutPerVs ?? d.MinScaleoutPerVs,
            MaxScaleoutPerVs = g.MaxScaleoutPerVs ?? d.MaxScaleoutPerVs,
            MaxSe = g.MaxSe ?? d.MaxSe,
            MinSe = g.MinSe ?? d.MinSe,
            BufferSe = g.BufferSe ?? d.BufferSe,
            VsHostRedundancy = g.VsHostRedundancy ?? d.VsHostRedundancy,
            HmOnStandby = g.HmOnStandby ?? d.HmOnStandby,
            FloatingIntfIp = (g.FloatingIntfIp ?? []).ToEquatableArray(),
            FloatingIntfIpSe2 = (g.FloatingIntfIpSe2 ?? []).ToEquatableArray(),
            AutoRebalance = g.AutoRebalance ?? d.AutoRebalance,
            AutoRebalanceInterval = g.AutoRebalanceInterval ?? d.AutoRebalanceInterval,
            MaxCpuUsage = g.MaxCpuUsage ?? d.MaxCpuUsage,
            MinCpuUsage = g.MinCpuUsage ?? d.MinCpuUsage,
            SeDeprovisionDelay = g.SeDeprovisionDelay ?? d.SeDeprovisionDelay,
            VsScaleinTimeout = g.VsScaleinTimeout ?? d.VsScaleinTimeout,
            VsScaleoutTimeout = g.VsScaleoutTimeout ?? d.VsScaleoutTimeout,
            VsScaleinTimeoutForUpgrade = g.VsScaleinTimeoutForUpgrade ?? d.VsScaleinTimeoutForUpgrade,
            VsSwitchoverTimeout = g.VsSwitchoverTimeout ?? d.VsSwitchoverTimeout,
            VsSeScaleoutReadyTimeout = g.VsSeScaleoutReadyTimeout ?? d.VsSeScaleoutReadyTimeout,
            PerApp = g.PerApp ?? d.PerApp,
            AggressiveFailureDetection = g.AggressiveFailureDetection ?? d.AggressiveFailureDetection,
            DpHbFrequency = g.DpHbFrequency ?? d.DpHbFrequency,
            DpHbTimeoutCount = g.DpHbTimeoutCount ?? d.DpHbTimeoutCount,
            DpAggressiveHbFrequency = g.DpAggressiveHbFrequency ?? d.DpAggressiveHbFrequency,
            DpAggressiveHbTimeoutCount = g.DpAggressiveHbTimeoutCount ?? d.DpAggressiveHbTimeoutCount,
        };
    }

    private static ServiceEngine MapServiceEngine(ConfigurationFile.ServiceEngineJson s, string p, List<FieldViolation> v)
    {
        Unknown(s.Unknown, p, v);
        Unknown(s.OperStatus?.Unknown, p + ".oper_status", v);
        var d = new ServiceEngine { Name = s.Name ?? string.Empty, SeGroupRef = s.SeGroupRef ?? string.Empty };
        return d with
        {
            HostRef = s.HostRef,
            EnableState = Enum(s.EnableState, d.EnableState, p + ".enable_state", v),
            OperState = Enum(s.OperStatus?.State, d.OperState, p + ".oper_status.state", v),
            Version = s.Version,
            GatewayReachable = s.GatewayReachable ?? d.GatewayReachable,
        };
    }

    private static VirtualService MapVirtualService(ConfigurationFile.VirtualServiceJson x, string p, List<FieldViolation> v)
    {
        var d = new VirtualService { Name = x.Name ?? string.Empty, SeGroupRef = x.SeGroupRef ?? string.Empty };
        return d with
        {
            Enabled = x.Enabled ?? d.Enabled,
            TrafficEnabled = x.TrafficEnabled ?? d.TrafficEnabled,
            Vip = MapVips(x.Vip, p, x.Unknown, v),
            VsvipRef = x.VsvipRef,
            SnatIp = (x.SnatIp ?? []).ToEquatableArray(),
            PoolServers = (x.PoolServers ?? []).Select((s, i) =>
            {
                Unknown(s.Unknown, $"{p}.pool_servers[{i}]", v);
                return new PoolServer { Ip = s.Ip ?? string.Empty, Port = s.Port };
            }).ToEquatableArray(),
            ActiveStandbySeTag = Enum(x.ActiveStandbySeTag, d.ActiveStandbySeTag, p + ".active_standby_se_tag", v),
            UseVipAsSnat = x.UseVipAsSnat ?? d.UseVipAsSnat,
        };
    }

    private static EquatableArray<Vip> MapVips(List<ConfigurationFile.VipJson>? vips, string p, Dictionary<string, JsonElement>? ownerUnknown, List<FieldViolation> v)
    {
        Unknown(ownerUnknown, p, v);
        return (vips ?? []).Select((x, i) =>
        {
            Unknown(x.Unknown, $"{p}.vip[{i}]", v);
            return new Vip { VipId = x.VipId ?? string.Empty, IpAddress = x.IpAddress, Ip6Address = x.Ip6Address, Enabled = x.Enabled ?? true };
        }).ToEquatableArray();
    }

    private static TEnum Enum<TEnum>(string? name, TEnum fallback, string path, List<FieldViolation> v)
        where TEnum : struct, System.Enum
    {
        if (name is null)
        {
            return fallback;
        }

        if (AviNames.TryParse<TEnum>(name, out var value))
        {
            return value;
        }

        v.Add(new FieldViolation(path, $"'{name}' is not one of {string.Join(", ", AviNames.NamesOf<TEnum>())}", ViolationCode.InvalidEnum));
        return fallback;
    }

    private static void Unknown(Dictionary<string, JsonElement>? unknown, string path, List<FieldViolation> v)
    {
        if (unknown is null)
        {
            return;
        }

        foreach (var key in unknown.Keys.Order(StringComparer.Ordinal))
        {
            var field = path.Length == 0 ? key : $"{path}.{key}";
            v.Add(new FieldViolation(field, $"unknown field '{key}'", ViolationCode.UnknownField));
        }
    }
}
