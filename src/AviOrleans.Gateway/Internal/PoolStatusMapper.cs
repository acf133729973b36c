using AviOrleans.Api.V1;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;
using D = AviOrleans.Domain;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// A virtual service's pool and what each SE's health monitors say of its servers, as the API's PoolStatus: one entry
/// per server, its state as the primary SE sees it (else another active SE), and every SE's own view.
/// </summary>
internal static class PoolStatusMapper
{
    public static PoolStatus ToApi(D.VirtualService vs, string? primarySeRef, IReadOnlyList<PoolMemberHealth> health)
    {
        var status = new PoolStatus { VirtualServiceRef = vs.Name };
        status.HealthMonitors.AddRange(vs.PoolHealthMonitors.Select(m => m.Name));
        foreach (var server in vs.PoolServers)
        {
            var port = server.Port ?? D.PoolServer.DefaultServerPort;
            var views = health
                .Where(h => string.Equals(h.Ip, server.Ip, StringComparison.Ordinal) && h.Port == port)
                .OrderBy(h => h.IsStandby)
                .ThenBy(h => h.SeRef, StringComparer.Ordinal)
                .ToArray();
            var steering = views.FirstOrDefault(h => string.Equals(h.SeRef, primarySeRef, StringComparison.Ordinal))
                ?? views.FirstOrDefault(h => !h.IsStandby && h.State != PoolMemberState.Unknown);
            var entry = new PoolServerStatus
            {
                Ip = server.Ip,
                Port = port,
                OperStatus = new OperationalStatus
                {
                    State = ToApi(steering?.State ?? PoolMemberState.Unknown),
                    Reason = steering is null ? (vs.PoolHealthMonitors.IsEmpty ? "no health monitor" : "not checked yet") : steering.Reason,
                    LastChangedTime = Time(steering?.LastChangedAt),
                },
                LastCheckTime = Time(steering?.LastCheckAt),
            };
            entry.Se.AddRange(views.Select(h => new PoolServerSeStatus
            {
                SeRef = h.SeRef,
                IsStandby = h.IsStandby,
                OperState = ToApi(h.State),
                Reason = h.Reason,
                LastCheckTime = Time(h.LastCheckAt),
                LastChangedTime = Time(h.LastChangedAt),
            }));
            status.Servers.Add(entry);
        }

        return status;
    }

    private static Timestamp? Time(DateTimeOffset? at) => at is { } t ? Timestamp.FromDateTimeOffset(t) : null;

    private static Api.V1.OperState ToApi(PoolMemberState state) => state switch
    {
        PoolMemberState.Up => Api.V1.OperState.OperUp,
        PoolMemberState.Down => Api.V1.OperState.OperDown,
        _ => Api.V1.OperState.OperUnknown,
    };
}
