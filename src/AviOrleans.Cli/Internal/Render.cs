using System.Collections;
using System.Globalization;
using System.Text;
using AviOrleans.Api.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Cli.Internal;

/// <summary>How avictl shows API messages: tables for people, JSON (Avi field names) for scripts.</summary>
internal static class Render
{
    private static readonly JsonFormatter Indented = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true).WithIndentation());

    private static readonly JsonFormatter OneLine = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    /// <summary>The message as indented JSON with every field, Avi's field names and enum names.</summary>
    public static string Json(IMessage message) => Indented.Format(message);

    /// <summary>The message as one line of JSON (for streams: one object per line).</summary>
    public static string JsonLine(IMessage message) => OneLine.Format(message);

    /// <summary>One object as a Field / Value table (Avi's <c>show X NAME</c>).</summary>
    public static string Object(IMessage message)
    {
        var table = new TextTable("Field", "Value");
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            table.AddRow(field.Name, Value(field, field.Accessor.GetValue(message)));
        }

        return table.ToString();
    }

    public static string Groups(IEnumerable<ServiceEngineGroup> groups)
    {
        var table = new TextTable("Name", "ha_mode", "algo", "max_vs_per_se", "min/max_scaleout", "buffer_se", "max_se");
        foreach (var g in groups)
        {
            table.AddRow(g.Name, EnumName(g.HaMode), EnumName(g.Algo), Num(g.MaxVsPerSe),
                Num(g.MinScaleoutPerVs) + "/" + Num(g.MaxScaleoutPerVs), Num(g.BufferSe), Num(g.MaxSe));
        }

        return table.ToString();
    }

    public static string Engines(IEnumerable<ServiceEngine> engines)
    {
        var table = new TextTable("Name", "se_group_ref", "enable_state", "oper_status", "vs_count", "host_ref", "version");
        foreach (var se in engines)
        {
            table.AddRow(se.Name, se.SeGroupRef, EnumName(se.EnableState), Oper(se.OperStatus), Num(se.VsCount), se.HostRef, se.Version);
        }

        return table.ToString();
    }

    public static string VirtualServices(IEnumerable<VirtualService> services)
    {
        var table = new TextTable("Name", "se_group_ref", "vip", "enabled", "oper_status");
        foreach (var vs in services)
        {
            table.AddRow(vs.Name, vs.SeGroupRef, string.Join(",", vs.Vip.Select(VipText)), Bool(vs.Enabled), Oper(vs.OperStatus));
        }

        return table.ToString();
    }

    public static string VsVips(IEnumerable<VsVip> vips)
    {
        var table = new TextTable("Name", "vip");
        foreach (var v in vips)
        {
            table.AddRow(v.Name, string.Join(",", v.Vip.Select(VipText)));
        }

        return table.ToString();
    }

    /// <summary>A group's HA status: its SEs with their load, then who owns which address.</summary>
    public static string GroupStatus(ServiceEngineGroupStatus s)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"serviceenginegroup {s.SeGroupRef}: epoch {s.Epoch}, {s.PlacedVs} placed, {s.HaCompromisedVs} HA-compromised, {s.UnplacedVs} unplaced");
        if (s.Se1Ref.Length > 0 || s.Se2Ref.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n  legacy pair: SE 1 = {s.Se1Ref}, SE 2 = {s.Se2Ref}; floating_intf_ip on {Dash(s.FloatingIntfIpOwner)}, floating_intf_ip_se_2 on {Dash(s.FloatingIntfIpSe2Owner)}");
        }

        if (s.HaCompromised)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n  HA compromised: {s.HaCompromisedReason}");
        }

        if (s.SeRequirement is { } r)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n  service engines: {r.SesNeeded} needed, {r.SesUsable} usable, {r.SesMissing} missing; max_se {r.MaxSe}: {r.SesCountingAgainstMaxSe} counting, {r.SesAddable} may join");
            foreach (var need in r.Needs)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n  {EnumName(need.Reason)}: {need.Description}");
            }
        }

        sb.AppendLine();
        var engines = new TextTable("se_ref", "oper_state", "enable_state", "load/capacity", "notes");
        foreach (var se in s.Se)
        {
            engines.AddRow(se.SeRef, EnumName(se.OperState), EnumName(se.EnableState), $"{se.Load}/{se.Capacity}", Notes(se));
        }

        sb.Append(engines);
        var addresses = new TextTable("address", "kind", "se_ref", "virtualservice", "epoch");
        foreach (var a in s.Addresses)
        {
            addresses.AddRow(a.Address, EnumName(a.Kind), a.SeRef, a.VirtualServiceRef, a.Epoch.ToString(CultureInfo.InvariantCulture));
        }

        if (addresses.RowCount > 0)
        {
            sb.Append(addresses);
        }

        return sb.ToString();
    }

    private static string Dash(string s) => s.Length == 0 ? "-" : s;

    /// <summary>What an admin looks for on an SE row: the N+M buffer, death and max_se, lost gateways.</summary>
    private static string Notes(SeRuntime se)
    {
        var notes = new List<string>();
        if (se.IsBuffer)
        {
            notes.Add("buffer");
        }

        if (se.DownSince is { } down)
        {
            notes.Add(se.CountsAgainstMaxSe && se.CountsAgainstMaxSeUntil is { } until
                ? string.Create(CultureInfo.InvariantCulture, $"dead since {down.ToDateTimeOffset():u}, counts against max_se until {until.ToDateTimeOffset():u}")
                : string.Create(CultureInfo.InvariantCulture, $"dead since {down.ToDateTimeOffset():u}, no longer counts against max_se"));
        }

        var lost = se.GatewayMonitors.Where(m => !m.Reachable).Select(m => m.GatewayIp).ToList();
        if (lost.Count > 0 || !se.GatewayReachable)
        {
            notes.Add(lost.Count > 0 ? "gateway lost: " + string.Join(", ", lost) : "gateway lost");
        }

        if (se.DeprovisionDue)
        {
            notes.Add("deprovision due");
        }

        return string.Join("; ", notes);
    }

    /// <summary>A placement: a summary, then one row per SE of each VIP (Avi's vip_runtime se_list).</summary>
    public static string Placement(VirtualServicePlacement p)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"virtualservice {p.VirtualServiceRef} in {p.SeGroupRef}: {EnumName(p.State)}, epoch {p.Epoch}, {Oper(p.OperStatus)}");
        if (p.Reason.Length > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n  reason: {p.Reason}");
        }

        sb.AppendLine();
        var table = new TextTable("vip_id", "ip_address", "se_ref", "role");
        foreach (var vip in p.Vip)
        {
            if (vip.SeList.Count == 0)
            {
                table.AddRow(vip.VipId, vip.IpAddress, "-", "unplaced");
            }

            foreach (var se in vip.SeList)
            {
                table.AddRow(vip.VipId, vip.IpAddress, se.SeRef, Role(se));
            }
        }

        if (table.RowCount > 0)
        {
            sb.Append(table);
        }

        return sb.ToString();
    }

    public static string Placements(IEnumerable<VirtualServicePlacement> placements)
    {
        var table = new TextTable("virtualservice", "se_group_ref", "state", "epoch", "active", "standby/secondaries", "reason");
        foreach (var p in placements)
        {
            var first = p.Vip.FirstOrDefault();
            var others = first is null ? string.Empty : string.Join(",", first.SeList.Where(s => !s.IsPrimary).Select(s => s.SeRef));
            table.AddRow(p.VirtualServiceRef, p.SeGroupRef, EnumName(p.State), p.Epoch.ToString(CultureInfo.InvariantCulture),
                first?.ActiveSeRef ?? string.Empty, others, p.Reason);
        }

        return table.ToString();
    }

    /// <summary>A virtual service's placement history: one row per change; a failover's steps as offsets from its decision.</summary>
    public static string History(VirtualServiceHistory history)
    {
        var table = new TextTable("epoch", "decided (UTC)", "cause", "from", "to", "suspected", "declared dead", "vip added", "garp/na sent", "first health check");
        foreach (var r in history.Records)
        {
            var decided = r.DecidedTime?.ToDateTimeOffset();
            string Offset(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
                at is null || decided is null ? "-" : ((at.ToDateTimeOffset() - decided.Value).TotalMilliseconds).ToString("+0;-0", CultureInfo.InvariantCulture) + " ms";
            table.AddRow(
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                decided?.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-",
                r.Cause,
                r.FromSeRef.Length == 0 ? "-" : r.FromSeRef,
                r.ToSeRef.Length == 0 ? "-" : r.ToSeRef,
                Offset(r.SuspectedTime),
                Offset(r.DeclaredDeadTime),
                Offset(r.VipAddedTime),
                Offset(r.AnnouncedTime),
                Offset(r.FirstHealthCheckTime));
        }

        return table.RowCount == 0 ? $"{history.VirtualServiceRef}: no placement change recorded.{Environment.NewLine}" : table.ToString();
    }

    /// <summary>A pool's servers: the steering view per server, then one row per checking SE.</summary>
    public static string Pool(PoolStatus status)
    {
        var table = new TextTable("server", "state", "se_ref", "role", "last check (UTC)", "reason");
        static string When(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
            at?.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-";
        foreach (var server in status.Servers)
        {
            var endpoint = $"{server.Ip}:{server.Port.ToString(CultureInfo.InvariantCulture)}";
            table.AddRow(endpoint, EnumName(server.OperStatus.State), string.Empty, string.Empty, When(server.LastCheckTime), server.OperStatus.Reason);
            foreach (var se in server.Se)
            {
                table.AddRow(string.Empty, EnumName(se.OperState), se.SeRef, se.IsStandby ? "standby" : "active", When(se.LastCheckTime), se.Reason);
            }
        }

        var monitors = status.HealthMonitors.Count == 0 ? "none" : string.Join(", ", status.HealthMonitors);
        var header = $"{status.VirtualServiceRef}: health monitors {monitors}{Environment.NewLine}";
        return header + (table.RowCount == 0 ? $"no pool servers.{Environment.NewLine}" : table.ToString());
    }

    /// <summary>One line per watch message.</summary>
    public static string Change(PlacementChange change)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[{change.Sequence}] {EnumName(change.ChangeType)}");
        if (change.Placement is { } p && change.ChangeType != ChangeType.Synced)
        {
            var first = p.Vip.FirstOrDefault();
            sb.Append(CultureInfo.InvariantCulture, $" {p.VirtualServiceRef} {EnumName(p.State)} epoch={p.Epoch}");
            if (first is not null && first.ActiveSeRef.Length > 0)
            {
                sb.Append(" active=").Append(first.ActiveSeRef);
            }

            if (first is not null && first.StandbySeRef.Length > 0)
            {
                sb.Append(" standby=").Append(first.StandbySeRef);
            }

            if (p.Reason.Length > 0)
            {
                sb.Append(" reason=\"").Append(p.Reason).Append('"');
            }
        }

        foreach (var e in change.Events)
        {
            sb.Append("\n    ").Append(Event(e));
        }

        return sb.ToString();
    }

    public static string Operation(HaOperationResponse response)
    {
        var sb = new StringBuilder();
        foreach (var e in response.Events)
        {
            sb.AppendLine(Event(e));
        }

        if (response.Placements.Count > 0)
        {
            sb.Append(Placements(response.Placements));
        }
        else
        {
            sb.AppendLine("No virtual service moved.");
        }

        return sb.ToString();
    }

    public static string Upgrade(UpgradeProgress progress)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{EnumName(progress.State)} {progress.SeGroupRef} {progress.CompletedSe}/{progress.TotalSe}");
        if (progress.SeRef.Length > 0)
        {
            sb.Append(" se=").Append(progress.SeRef);
        }

        if (progress.Reason.Length > 0)
        {
            sb.Append(" reason=\"").Append(progress.Reason).Append('"');
        }

        foreach (var p in progress.Placements)
        {
            var first = p.Vip.FirstOrDefault();
            sb.Append(CultureInfo.InvariantCulture, $"\n    {p.VirtualServiceRef} -> {first?.ActiveSeRef} ({EnumName(p.State)}, epoch {p.Epoch})");
        }

        return sb.ToString();
    }

    public static string Event(HaEvent e)
    {
        var sb = new StringBuilder(EnumName(e.EventId));
        if (e.VirtualServiceRef.Length > 0)
        {
            sb.Append(" vs=").Append(e.VirtualServiceRef);
        }

        if (e.SeRef.Length > 0)
        {
            sb.Append(" se=").Append(e.SeRef);
        }

        if (e.Message.Length > 0)
        {
            sb.Append(": ").Append(e.Message);
        }

        return sb.ToString();
    }

    private static string Role(SeList se) =>
        se.IsPrimary ? "primary (active)"
        : se.IsStandby ? "standby"
        : "secondary " + se.SecIdx.ToString(CultureInfo.InvariantCulture);

    private static string Value(FieldDescriptor field, object? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        if (field.IsRepeated)
        {
            return string.Join(",", ((IList)value).Cast<object>().Select(v => Single(v)));
        }

        return Single(value);
    }

    private static string Single(object value) => value switch
    {
        Vip vip => VipText(vip),
        OperationalStatus oper => Oper(oper),
        Timestamp ts => ts.ToDateTime().ToString("O", CultureInfo.InvariantCulture),
        bool b => Bool(b),
        System.Enum e => EnumName(e),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string VipText(Vip vip) => vip.VipId + "=" + vip.IpAddress + (vip.HasEnabled && !vip.Enabled ? "/disabled" : string.Empty);

    private static string Oper(OperationalStatus? oper) =>
        oper is null ? string.Empty : EnumName(oper.State) + (oper.Reason.Length > 0 ? " (" + oper.Reason + ")" : string.Empty);

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Num(uint n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The proto name of an enum value (HA_MODE_SHARED), as Avi writes it.</summary>
    public static string EnumName(System.Enum value)
    {
        var field = value.GetType().GetField(value.ToString());
        var attribute = field?.GetCustomAttributes(typeof(OriginalNameAttribute), false).OfType<OriginalNameAttribute>().FirstOrDefault();
        return attribute?.Name ?? value.ToString();
    }
}
