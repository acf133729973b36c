namespace AviOrleans.Domain;

/// <summary>A whole configuration: groups, their SEs, shared VIPs and virtual services, and the failure-confirmation settings.</summary>
public sealed record HaConfiguration
{
    /// <summary>The SE groups.</summary>
    public EquatableArray<ServiceEngineGroup> ServiceEngineGroups { get; init; }

    /// <summary>The service engines.</summary>
    public EquatableArray<ServiceEngine> ServiceEngines { get; init; }

    /// <summary>The shared VIP sets.</summary>
    public EquatableArray<VsVip> VsVips { get; init; }

    /// <summary>The virtual services.</summary>
    public EquatableArray<VirtualService> VirtualServices { get; init; }

    /// <summary>The failure-confirmation settings. Default: AviOrleans' defaults.</summary>
    public SeAgentProperties SeAgentProperties { get; init; } = new();

    /// <summary>The controller's SE timers (dead SEs and <c>max_se</c>). Default: Avi's defaults.</summary>
    public ControllerProperties ControllerProperties { get; init; } = new();
}
