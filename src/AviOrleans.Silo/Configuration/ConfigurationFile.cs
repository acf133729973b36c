using System.Text.Json;
using System.Text.Json.Serialization;

namespace AviOrleans.Silo.Configuration;

/// <summary>
/// The JSON shape of a configuration file: Avi's object names and snake_case field names, enums by Avi's names.
/// Every field is optional here so that a missing one gets Avi's default (or a "required" violation), and unknown
/// fields land in <c>Unknown</c> to be reported rather than silently ignored.
/// </summary>
internal sealed class ConfigurationFile
{
    public List<GroupJson>? Serviceenginegroup { get; set; }

    public List<ServiceEngineJson>? Serviceengine { get; set; }

    public List<VsVipJson>? Vsvip { get; set; }

    public List<VirtualServiceJson>? Virtualservice { get; set; }

    public SeAgentPropertiesJson? Seagentproperties { get; set; }

    public ControllerPropertiesJson? Controllerproperties { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }

    internal sealed class GroupJson
    {
        public string? Name { get; set; }

        public string? HaMode { get; set; }

        public string? Algo { get; set; }

        public bool? ActiveStandby { get; set; }

        public bool? DistributeLoadActiveStandby { get; set; }

        public bool? AutoRedistributeActiveStandbyLoad { get; set; }

        public int? MaxVsPerSe { get; set; }

        public int? MinScaleoutPerVs { get; set; }

        public int? MaxScaleoutPerVs { get; set; }

        public int? MaxSe { get; set; }

        public int? MinSe { get; set; }

        public int? BufferSe { get; set; }

        public bool? VsHostRedundancy { get; set; }

        public bool? HmOnStandby { get; set; }

        public List<string>? FloatingIntfIp { get; set; }

        [JsonPropertyName("floating_intf_ip_se_2")]
        public List<string>? FloatingIntfIpSe2 { get; set; }

        public bool? AutoRebalance { get; set; }

        public int? AutoRebalanceInterval { get; set; }

        public int? MaxCpuUsage { get; set; }

        public int? MinCpuUsage { get; set; }

        public int? SeDeprovisionDelay { get; set; }

        public int? VsScaleinTimeout { get; set; }

        public int? VsScaleoutTimeout { get; set; }

        public int? VsScaleinTimeoutForUpgrade { get; set; }

        public int? VsSwitchoverTimeout { get; set; }

        public int? VsSeScaleoutReadyTimeout { get; set; }

        public bool? PerApp { get; set; }

        public bool? AggressiveFailureDetection { get; set; }

        public int? DpHbFrequency { get; set; }

        public int? DpHbTimeoutCount { get; set; }

        public int? DpAggressiveHbFrequency { get; set; }

        public int? DpAggressiveHbTimeoutCount { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class ServiceEngineJson
    {
        public string? Name { get; set; }

        public string? SeGroupRef { get; set; }

        public string? HostRef { get; set; }

        public string? EnableState { get; set; }

        public OperStatusJson? OperStatus { get; set; }

        public string? Version { get; set; }

        public bool? GatewayReachable { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class OperStatusJson
    {
        public string? State { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class VipJson
    {
        public string? VipId { get; set; }

        public string? IpAddress { get; set; }

        [JsonPropertyName("ip6_address")]
        public string? Ip6Address { get; set; }

        public bool? Enabled { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class VsVipJson
    {
        public string? Name { get; set; }

        public List<VipJson>? Vip { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class PoolServerJson
    {
        public string? Ip { get; set; }

        public int? Port { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class VirtualServiceJson
    {
        public string? Name { get; set; }

        public string? SeGroupRef { get; set; }

        public bool? Enabled { get; set; }

        public bool? TrafficEnabled { get; set; }

        public List<VipJson>? Vip { get; set; }

        public string? VsvipRef { get; set; }

        public List<string>? SnatIp { get; set; }

        public List<PoolServerJson>? PoolServers { get; set; }

        public string? ActiveStandbySeTag { get; set; }

        public bool? UseVipAsSnat { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class SeAgentPropertiesJson
    {
        public int? ControllerEchoRpcTimeout { get; set; }

        public int? ControllerEchoMissLimit { get; set; }

        public int? ControllerEchoRpcAggressiveTimeout { get; set; }

        public int? ControllerEchoMissAggressiveLimit { get; set; }

        public int? ControllerHeartbeatIntervalSec { get; set; }

        public int? ControllerHeartbeatMissLimit { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }

    internal sealed class ControllerPropertiesJson
    {
        public int? UnresponsiveSeReboot { get; set; }

        public int? DelOfflineSeAfterRebootDelay { get; set; }

        public int? UpgradeLeaseTime { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; set; }
    }
}
