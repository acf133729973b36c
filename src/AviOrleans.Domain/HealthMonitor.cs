namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>HealthMonitor</c>, attached to a virtual service's pool (Avi: <c>Pool.health_monitor_refs</c>; here inline
/// in the pool like its servers, <see cref="VirtualService.PoolHealthMonitors"/>). Every SE that monitors the pool
/// (the active ones, and the standby with <c>hm_on_standby</c>) checks each server every <see cref="SendInterval"/>
/// seconds; a server goes down after <see cref="FailedChecks"/> consecutive failures and up after
/// <see cref="SuccessfulChecks"/> consecutive passes, and is up only while every monitor of the pool passes.
/// </summary>
public sealed record HealthMonitor
{
    /// <summary><c>name</c>: unique within the pool.</summary>
    public required string Name { get; init; }

    /// <summary><c>type</c>. Default: <see cref="HealthMonitorType.Tcp"/>.</summary>
    public HealthMonitorType Type { get; init; } = HealthMonitorType.Tcp;

    /// <summary><c>send_interval</c> in seconds between two checks of a server (1–3600). Default: 10.</summary>
    public int SendInterval { get; init; } = 10;

    /// <summary><c>receive_timeout</c> in seconds a check may take (1–2400, less than <see cref="SendInterval"/>). Default: 4.</summary>
    public int ReceiveTimeout { get; init; } = 4;

    /// <summary><c>successful_checks</c>: consecutive passes before a server is marked up (1–50). Default: 2.</summary>
    public int SuccessfulChecks { get; init; } = 2;

    /// <summary><c>failed_checks</c>: consecutive failures before a server is marked down (1–50). Default: 2.</summary>
    public int FailedChecks { get; init; } = 2;

    /// <summary><c>monitor_port</c>: the port checked instead of the server's (1–65535). Default: null (the server's port).</summary>
    public int? MonitorPort { get; init; }

    /// <summary><c>http_monitor</c>: the HTTP check (type HTTP only). Default: null (Avi's defaults).</summary>
    public HealthMonitorHttp? HttpMonitor { get; init; }
}
