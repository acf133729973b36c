using System.Net;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>
/// One health monitor on one pool server, on this SE: a check every <c>send_interval</c> seconds, each allowed
/// <c>receive_timeout</c> seconds; <c>failed_checks</c> / <c>successful_checks</c> in a row turn it down / up.
/// </summary>
internal sealed class PoolCheck(string vsRef, PoolServer server, HealthMonitor monitor, GroupMonitoring owner) : MonitorLoop(owner.Services)
{
    private readonly ConsecutiveChecks _checks = new(monitor.FailedChecks, monitor.SuccessfulChecks, initial: null);
    private string _reason = string.Empty;
    private DateTimeOffset? _lastCheckAt;

    public string VsRef { get; } = vsRef;

    public PoolServer Server { get; } = server;

    public HealthMonitor Monitor { get; } = monitor;

    /// <summary>The port checked: <c>monitor_port</c>, else the server's, else the pool's default.</summary>
    public int Port => Monitor.MonitorPort ?? Server.Port ?? PoolServer.DefaultServerPort;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Monitor.SendInterval);

    /// <summary>The monitor's verdict (null before its first check), why it is down, and when it last checked.</summary>
    public (bool? IsUp, string Reason, DateTimeOffset? LastCheckAt) Snapshot()
    {
        lock (_checks)
        {
            return (_checks.IsUp, _reason, _lastCheckAt);
        }
    }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(Server.Ip), Port);
        var timeout = TimeSpan.FromSeconds(Monitor.ReceiveTimeout);
        await DelayAsync(Jitter(), cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Services.Time.GetTimestamp();
            var result = Monitor.Type == HealthMonitorType.Http
                ? await HttpHealthCheck.RunAsync(endpoint, Monitor.HttpMonitor ?? new HealthMonitorHttp(), timeout, cancellationToken).ConfigureAwait(false)
                : await TcpHealthCheck.RunAsync(endpoint, timeout, cancellationToken).ConfigureAwait(false);
            var at = Services.Time.GetUtcNow();
            lock (_checks)
            {
                _checks.Record(result.Passed);
                _lastCheckAt = at;
                if (_checks.IsUp == true)
                {
                    _reason = string.Empty;
                }
                else if (!result.Passed)
                {
                    _reason = $"{Monitor.Name}: {result.Reason}";
                }
            }

            await owner.CheckedAsync(this, result.Passed, at).ConfigureAwait(false);
            await DelayAsync(Interval - Services.Time.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
        }
    }
}
