using AviOrleans.Domain;

namespace AviOrleans.Silo.Placement;

/// <summary>The <c>placement --json</c> output: Avi's snake_case field names and enum names.</summary>
internal sealed class PlacementReport
{
    public List<GroupReport> Serviceenginegroup { get; init; } = [];

    public List<ViolationReport> Violations { get; init; } = [];

    public static PlacementReport Invalid(IEnumerable<FieldViolation> violations) => new()
    {
        Violations = [.. violations.Select(v => new ViolationReport { Field = v.FieldPath, Description = v.Description, Code = v.Code.ToString() })],
    };

    public static GroupReport FromPlacement(ServiceEngineGroup group, GroupPlacement placement, FailureDetectionBudget budget, PlacementResult? applied) => new()
    {
        Name = placement.SeGroupRef,
        HaMode = group.HaMode.ToAviName(),
        Algo = group.Algo.ToAviName(),
        Epoch = placement.Epoch,
        HaCompromised = placement.HaCompromised,
        HaCompromisedReason = placement.HaCompromisedReason,
        FreeSlots = placement.FreeSlots,
        FailureDetectionMs = (long)budget.Datapath.TotalMilliseconds,
        ManagementPathDetectionMs = (long)budget.ManagementPath.TotalMilliseconds,
        Legacy = placement.Legacy is { } l ? new LegacyReport { Se1Ref = l.Se1Ref, Se2Ref = l.Se2Ref, FloatingIntfIpOwner = l.FloatingIntfIpOwner, FloatingIntfIpSe2Owner = l.FloatingIntfIpSe2Owner } : null,
        Serviceengine = [.. placement.ServiceEngines.Select(s => new SeReport { Name = s.SeRef, OperState = s.OperState.ToAviName(), EnableState = s.EnableState.ToAviName(), Load = s.Load, Capacity = s.Capacity })],
        Virtualservice = [.. placement.VirtualServices.Select(vs => new VsReport
        {
            Name = vs.VsRef,
            VsvipRef = vs.VsvipRef,
            OperState = vs.OperState.ToAviName(),
            Reason = vs.Reason,
            HaCompromised = vs.HaCompromised,
            Epoch = vs.Epoch,
            Vip = [.. vs.Vip.Select(v => new VipReport
            {
                VipId = v.VipId,
                IpAddress = v.IpAddress,
                Ip6Address = v.Ip6Address,
                SeList = [.. v.SeList.Select(e => new SeListReport { SeRef = e.SeRef, IsPrimary = e.IsPrimary, IsStandby = e.IsStandby, SecIdx = e.SecIdx, DeleteInProgress = e.DeleteInProgress })],
            })],
        })],
        Addresses = [.. placement.GetAddressOwners().Select(a => new AddressReport { Address = a.Address, SeRef = a.SeRef, Kind = a.Kind.ToString(), VsRef = a.VsRef })],
        Events = [.. (applied?.Events ?? default).Select(e => new EventReport { EventId = e.Type.ToAviName(), VsRef = e.VsRef, SeRef = e.SeRef, Description = e.Description })],
        Requests = [.. (applied?.Outcomes ?? default).Select(o => new OutcomeReport { Request = o.Request.Describe(), Accepted = o.Accepted, Reason = o.Reason })],
    };

    internal sealed class GroupReport
    {
        public required string Name { get; init; }

        public required string HaMode { get; init; }

        public required string Algo { get; init; }

        public long Epoch { get; init; }

        public bool HaCompromised { get; init; }

        public string? HaCompromisedReason { get; init; }

        public int FreeSlots { get; init; }

        public long FailureDetectionMs { get; init; }

        public long ManagementPathDetectionMs { get; init; }

        public LegacyReport? Legacy { get; init; }

        public List<SeReport> Serviceengine { get; init; } = [];

        public List<VsReport> Virtualservice { get; init; } = [];

        public List<AddressReport> Addresses { get; init; } = [];

        public List<EventReport> Events { get; init; } = [];

        public List<OutcomeReport> Requests { get; init; } = [];
    }

    internal sealed class LegacyReport
    {
        public string? Se1Ref { get; init; }

        public string? Se2Ref { get; init; }

        public string? FloatingIntfIpOwner { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("floating_intf_ip_se_2_owner")]
        public string? FloatingIntfIpSe2Owner { get; init; }
    }

    internal sealed class SeReport
    {
        public required string Name { get; init; }

        public required string OperState { get; init; }

        public required string EnableState { get; init; }

        public int Load { get; init; }

        public int Capacity { get; init; }
    }

    internal sealed class VsReport
    {
        public required string Name { get; init; }

        public string? VsvipRef { get; init; }

        public required string OperState { get; init; }

        public string? Reason { get; init; }

        public bool HaCompromised { get; init; }

        public long Epoch { get; init; }

        public List<VipReport> Vip { get; init; } = [];
    }

    internal sealed class VipReport
    {
        public required string VipId { get; init; }

        public string? IpAddress { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("ip6_address")]
        public string? Ip6Address { get; init; }

        public List<SeListReport> SeList { get; init; } = [];
    }

    internal sealed class SeListReport
    {
        public required string SeRef { get; init; }

        public bool IsPrimary { get; init; }

        public bool IsStandby { get; init; }

        public int SecIdx { get; init; }

        public bool DeleteInProgress { get; init; }
    }

    internal sealed class AddressReport
    {
        public required string Address { get; init; }

        public required string SeRef { get; init; }

        public required string Kind { get; init; }

        public string? VsRef { get; init; }
    }

    internal sealed class EventReport
    {
        public required string EventId { get; init; }

        public string? VsRef { get; init; }

        public string? SeRef { get; init; }

        public required string Description { get; init; }
    }

    internal sealed class OutcomeReport
    {
        public required string Request { get; init; }

        public bool Accepted { get; init; }

        public required string Reason { get; init; }
    }

    internal sealed class ViolationReport
    {
        public required string Field { get; init; }

        public required string Description { get; init; }

        public required string Code { get; init; }
    }
}
