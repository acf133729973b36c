using System.Net;
using AviOrleans.Domain;
using AviOrleans.Netlink;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>
/// One gateway monitor on this SE: an echo request every <c>gateway_monitor_interval</c>, a reply within that interval
/// is an answer, anything else a miss; Avi's thresholds turn them into reachable / unreachable.
/// </summary>
internal sealed class GatewayProbe(GatewayMonitor config, GroupMonitoring owner) : MonitorLoop(owner.Services)
{
    private readonly ConsecutiveChecks _checks = new(config.GatewayMonitorFailThreshold, config.GatewayMonitorSuccessThreshold, initial: true);
    private bool _openFailed;

    public GatewayMonitor Config { get; } = config;

    /// <summary>Reachable until the fail threshold of misses is reached (Avi starts a monitor as up).</summary>
    public bool Reachable
    {
        get
        {
            lock (_checks)
            {
                return _checks.IsUp != false;
            }
        }
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(Config.GatewayMonitorInterval);

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var target = IPAddress.Parse(Config.GatewayIp);
        IcmpEchoClient? client = null;
        try
        {
            await DelayAsync(Jitter(), cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = Services.Time.GetTimestamp();
                client ??= TryOpen(target);
                if (client is not null)
                {
                    var answered = await client.PingAsync(target, Interval, cancellationToken).ConfigureAwait(false) is not null;
                    bool changed;
                    lock (_checks)
                    {
                        changed = _checks.Record(answered);
                    }

                    if (changed)
                    {
                        if (answered)
                        {
                            MonitoringLog.GatewayBack(Services.Logger, Services.SeName, Config.GatewayIp);
                        }
                        else
                        {
                            MonitoringLog.GatewayLost(Services.Logger, Services.SeName, Config.GatewayIp, Config.GatewayMonitorFailThreshold);
                        }

                        owner.GatewayChanged();
                    }
                }

                await owner.ReportGatewaysIfPendingAsync().ConfigureAwait(false);
                await DelayAsync(Interval - Services.Time.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    private IcmpEchoClient? TryOpen(IPAddress target)
    {
        try
        {
            var ns = Services.Options.GatewayNamespace is { } name ? NetworkNamespace.FromName(name) : NetworkNamespace.Current;
            return IcmpEchoClient.Open(target.AddressFamily, ns, Services.Options.IcmpSocketKind, Services.Time);
        }
        catch (NetlinkException ex)
        {
            // Not a miss: an SE that cannot probe must not be switched over as if it had lost its gateway.
            if (!_openFailed)
            {
                MonitoringLog.GatewayProbeUnavailable(Services.Logger, Services.SeName, Config.GatewayIp, ex);
                _openFailed = true;
            }

            return null;
        }
    }
}
