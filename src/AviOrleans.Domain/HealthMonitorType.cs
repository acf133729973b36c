namespace AviOrleans.Domain;

/// <summary>Avi's <c>HealthMonitor.type</c>, the kinds AviOrleans probes.</summary>
public enum HealthMonitorType
{
    /// <summary><c>HEALTH_MONITOR_TCP</c>: a server passes when a TCP connection to it opens within <c>receive_timeout</c>.</summary>
    Tcp = 0,

    /// <summary><c>HEALTH_MONITOR_HTTP</c>: a server passes when it answers <c>http_request</c> with a status in <c>http_response_code</c>.</summary>
    Http = 1,
}
