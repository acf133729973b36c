using AviOrleans.Api.V1;
using AviOrleans.Domain;
using AviOrleans.Grains;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Internal;

/// <summary>Converts placements, events and operation outcomes to the API.</summary>
internal static class PlacementMapper
{
    public static VirtualServicePlacement ToApi(PlacementView view)
    {
        var p = view.Placement;
        var result = new VirtualServicePlacement
        {
            VirtualServiceRef = p.VsRef,
            SeGroupRef = view.SeGroupRef,
            State = StateOf(p),
            Epoch = (ulong)Math.Max(0, p.Epoch),
            Reason = p.Reason ?? string.Empty,
            LastChangedTime = Timestamp.FromDateTimeOffset(view.LastChangedAt),
            OperStatus = new OperationalStatus
            {
                State = EnumMap.ToApi<Api.V1.OperState>(p.OperState.ToAviName()),
                Reason = p.Reason ?? string.Empty,
                LastChangedTime = Timestamp.FromDateTimeOffset(view.LastChangedAt),
            },
            VsvipRef = p.VsvipRef ?? string.Empty,
            SnatIp = { p.SnatIp },
            TrafficEnabled = p.TrafficEnabled,
            ScaleoutFactor = p.ScaleoutFactor,
            NumSeRequested = p.NumSeRequested,
            NumSeAssigned = p.NumSeAssigned,
        };
        foreach (var vip in p.Vip)
        {
            var api = new Api.V1.VipPlacement
            {
                VipId = vip.VipId,
                IpAddress = vip.IpAddress ?? string.Empty,
                Ip6Address = vip.Ip6Address ?? string.Empty,
                Enabled = vip.Enabled,
                ActiveSeRef = vip.SeList.FirstOrDefault(e => e.IsPrimary && !e.DeleteInProgress)?.SeRef ?? string.Empty,
                StandbySeRef = vip.SeList.FirstOrDefault(e => e.IsStandby && !e.DeleteInProgress)?.SeRef ?? string.Empty,
            };
            foreach (var e in vip.SeList)
            {
                api.SeList.Add(new SeList
                {
                    SeRef = e.SeRef,
                    IsPrimary = e.IsPrimary,
                    IsStandby = e.IsStandby,
                    SecIdx = e.SecIdx,
                    DeleteInProgress = e.DeleteInProgress,
                    DrainDeadline = e.DrainDeadline is { } d ? Timestamp.FromDateTimeOffset(d) : null,
                });
            }

            result.Vip.Add(api);
        }

        return result;
    }

    public static PlacementState StateOf(VsPlacement p) => p.OperState switch
    {
        Domain.OperState.Disabled => PlacementState.Disabled,
        _ when p.SeList.IsEmpty || p.OperState != Domain.OperState.Up => PlacementState.Unplaced,
        _ when p.HaCompromised => PlacementState.HaCompromised,
        _ => PlacementState.Placed,
    };

    public static Api.V1.HaEvent ToApi(Domain.HaEvent e, DateTimeOffset time) => new()
    {
        EventId = EnumMap.ToApi<EventId>(e.Type.ToAviName()),
        VirtualServiceRef = e.VsRef ?? string.Empty,
        SeRef = e.SeRef ?? string.Empty,
        Message = e.Description,
        Time = Timestamp.FromDateTimeOffset(time),
    };

    public static Api.V1.PlacementChange ToApi(Grains.PlacementChange change)
    {
        var result = new Api.V1.PlacementChange
        {
            Sequence = (ulong)change.Sequence,
            ChangeType = change.Kind switch
            {
                PlacementChangeKind.Snapshot => ChangeType.Snapshot,
                PlacementChangeKind.Synced => ChangeType.Synced,
                PlacementChangeKind.Updated => ChangeType.Updated,
                PlacementChangeKind.Removed => ChangeType.Removed,
                _ => ChangeType.Unspecified,
            },
            Placement = change.View is { } view ? ToApi(view) : null,
        };
        result.Events.AddRange(change.Events.Select(e => ToApi(e, change.Time)));
        return result;
    }

    public static Api.V1.PlacementRecord ToApi(Grains.PlacementRecord r)
    {
        var record = new Api.V1.PlacementRecord
        {
            VirtualServiceRef = r.VsRef,
            SeGroupRef = r.SeGroupRef,
            Epoch = (ulong)Math.Max(0, r.Epoch),
            Cause = r.Cause,
            Description = r.Description,
            FromSeRef = r.FromSeRef ?? string.Empty,
            ToSeRef = r.ToSeRef ?? string.Empty,
            Failover = r.IsFailover,
            SuspectedTime = Time(r.SuspectedAt),
            DeclaredDeadTime = Time(r.DeclaredDeadAt),
            DecidedTime = Timestamp.FromDateTimeOffset(r.DecidedAt),
            VipAddedTime = Time(r.VipAddedAt),
            AnnouncedTime = Time(r.AnnouncedAt),
            FirstHealthCheckTime = Time(r.FirstHealthCheckAt),
        };
        record.SeRef.AddRange(r.SeList);
        return record;

        static Timestamp? Time(DateTimeOffset? at) => at is { } t ? Timestamp.FromDateTimeOffset(t) : null;
    }

    public static HaOperationResponse ToApi(HaOperationResult result, DateTimeOffset time)
    {
        var response = new HaOperationResponse { Sequence = (ulong)result.Sequence };
        response.Placements.AddRange(result.Changed.Select(ToApi));
        response.Events.AddRange(result.Events.Select(e => ToApi(e, time)));
        return response;
    }

    public static Api.V1.SeRuntime ToApi(Domain.SeRuntime s)
    {
        var result = new Api.V1.SeRuntime
        {
            SeRef = s.SeRef,
            OperState = EnumMap.ToApi<Api.V1.OperState>(s.OperState.ToAviName()),
            EnableState = EnumMap.ToApi<SeState>(s.EnableState.ToAviName()),
            Load = s.Load,
            Capacity = s.Capacity,
            IsBuffer = s.IsBuffer,
            GatewayReachable = s.GatewayReachable,
            DownSince = s.DownSince is { } down ? Timestamp.FromDateTimeOffset(down) : null,
            CountsAgainstMaxSe = s.CountsAgainstMaxSe,
            CountsAgainstMaxSeUntil = s.CountsAgainstMaxSeUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            DeprovisionDue = s.DeprovisionDue,
        };
        result.GatewayMonitors.AddRange(s.GatewayMonitors.Select(m => new GatewayMonitorState { GatewayIp = m.GatewayIp, Reachable = m.Reachable }));
        return result;
    }

    public static Api.V1.SeRequirement ToApi(Domain.SeRequirement r)
    {
        var result = new Api.V1.SeRequirement
        {
            SesNeeded = r.SesNeeded,
            SesUsable = r.SesUsable,
            SesMissing = r.SesMissing,
            SesCountingAgainstMaxSe = r.SesCountingAgainstMaxSe,
            MaxSe = r.MaxSe,
            SesAddable = r.SesAddable,
        };
        foreach (var need in r.Needs)
        {
            var api = new Api.V1.SeNeed
            {
                Reason = EnumMap.ToApi<Api.V1.SeNeedReason>(need.Reason.ToAviName()),
                Ses = need.Ses,
                Description = need.Description,
            };
            api.VirtualServiceRefs.AddRange(need.VsRefs);
            result.Needs.Add(api);
        }

        return result;
    }

    public static ServiceEngineGroupStatus ToApi(GroupPlacement g)
    {
        var status = new ServiceEngineGroupStatus
        {
            SeGroupRef = g.SeGroupRef,
            Epoch = (ulong)Math.Max(0, g.Epoch),
            Se1Ref = g.Legacy?.Se1Ref ?? string.Empty,
            Se2Ref = g.Legacy?.Se2Ref ?? string.Empty,
            FloatingIntfIpOwner = g.Legacy?.FloatingIntfIpOwner ?? string.Empty,
            FloatingIntfIpSe2Owner = g.Legacy?.FloatingIntfIpSe2Owner ?? string.Empty,
            PlacedVs = g.VirtualServices.Count(v => StateOf(v) == PlacementState.Placed),
            HaCompromisedVs = g.VirtualServices.Count(v => StateOf(v) == PlacementState.HaCompromised),
            UnplacedVs = g.VirtualServices.Count(v => StateOf(v) == PlacementState.Unplaced),
            SeRequirement = g.SeRequirement is { } r ? ToApi(r) : null,
            HaCompromised = g.HaCompromised,
            HaCompromisedReason = g.HaCompromisedReason ?? string.Empty,
            FreeSlots = g.FreeSlots,
        };
        status.Se.AddRange(g.ServiceEngines.Select(ToApi));
        status.Addresses.AddRange(g.GetAddressOwners().Select(a => new Api.V1.AddressOwner
        {
            Address = a.Address,
            SeRef = a.SeRef,
            Kind = a.Kind switch
            {
                Domain.AddressKind.Vip => Api.V1.AddressKind.Vip,
                Domain.AddressKind.SnatIp => Api.V1.AddressKind.SnatIp,
                Domain.AddressKind.FloatingInterfaceIp => Api.V1.AddressKind.FloatingInterfaceIp,
                _ => Api.V1.AddressKind.Unspecified,
            },
            VirtualServiceRef = a.VsRef ?? string.Empty,
            Epoch = (ulong)Math.Max(0, a.Epoch),
        }));
        return status;
    }
}
