namespace AviOrleans.Domain.Internal;

/// <summary>
/// Gateway monitors (D-GWMON): each SE's per-monitor state is carried in its <see cref="SeRuntime"/>, and a change is
/// reported with Avi's events, <c>SE_GATEWAY_HEARTBEAT_FAILED</c> and <c>SE_GATEWAY_HEARTBEAT_SUCCESS</c>. What a lost
/// gateway does (legacy HA switchover, AS-45) is decided in the legacy part.
/// </summary>
internal sealed partial class PlacementComputation
{
    private static EquatableArray<GatewayMonitorStatus> SortedMonitors(EquatableArray<GatewayMonitorStatus> monitors)
    {
        if (monitors.Count < 2)
        {
            return monitors;
        }

        for (var i = 1; i < monitors.Count; i++)
        {
            if (string.CompareOrdinal(monitors[i - 1].GatewayIp, monitors[i].GatewayIp) > 0)
            {
                return [.. monitors.OrderBy(m => m.GatewayIp, StringComparer.Ordinal)];
            }
        }

        return monitors;
    }

    /// <summary>Reports each monitor of a live SE whose reachability changed since the previous placement (a new monitor counts as reachable before).</summary>
    private void EmitGatewayChanges(SeRuntime now, SeRuntime? before)
    {
        if (now.GatewayMonitors.IsEmpty && (before is null || before.GatewayMonitors.IsEmpty))
        {
            // No per-monitor results: the SE's overall flag is the one monitor.
            if ((before?.GatewayReachable ?? true) != now.GatewayReachable)
            {
                EmitGateway(now.SeRef, "its monitored gateway", now.GatewayReachable);
            }

            return;
        }

        foreach (var monitor in now.GatewayMonitors)
        {
            var was = true;
            if (before is not null)
            {
                foreach (var old in before.GatewayMonitors)
                {
                    if (string.Equals(old.GatewayIp, monitor.GatewayIp, StringComparison.Ordinal))
                    {
                        was = old.Reachable;
                        break;
                    }
                }
            }

            if (was != monitor.Reachable)
            {
                EmitGateway(now.SeRef, $"gateway {monitor.GatewayIp}", monitor.Reachable);
            }
        }
    }

    private void EmitGateway(string se, string gateway, bool reachable) =>
        Emit(
            reachable ? HaEventType.SeGatewayHeartbeatSuccess : HaEventType.SeGatewayHeartbeatFailed,
            null,
            se,
            reachable ? $"service engine {se} reaches {gateway} again" : $"service engine {se} cannot reach {gateway}");
}
