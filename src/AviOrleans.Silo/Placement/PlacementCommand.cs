using System.Globalization;
using System.Text.Json;
using AviOrleans.Domain;
using AviOrleans.Silo.Configuration;

namespace AviOrleans.Silo.Placement;

/// <summary>
/// <c>aviorleans-silo placement</c>: loads groups, SEs and VSs from a file (or builds one group from flags), runs the
/// placement engine, optionally applies events (SE failures, disables, requests) and prints the result.
/// Exit codes: 0 done, 1 the file could not be read, 2 the input is invalid (violations printed by field path).
/// </summary>
internal static class PlacementCommand
{
    /// <summary>The time of the initial placement (the engine takes time as an input; a fixed one keeps output reproducible).</summary>
    private static readonly DateTimeOffset Epoch0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int Run(PlacementOptions options, TextWriter output, TextWriter error)
    {
        HaConfiguration? configuration;
        IReadOnlyList<FieldViolation> violations;
        if (options.File is { } path)
        {
            string json;
            try
            {
                json = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cannot read {path}: {ex.Message}");
                return 1;
            }

            (configuration, violations) = ConfigurationLoader.Parse(json);
        }
        else
        {
            (configuration, violations) = Synthetic(options);
        }

        if (configuration is not null && violations.Count == 0)
        {
            violations = CheckEventTargets(options, configuration);
        }

        if (configuration is null || violations.Count > 0)
        {
            WriteViolations(options, violations, output, error);
            return 2;
        }

        var groups = configuration.ServiceEngineGroups.Where(g => options.Group is null || g.Name == options.Group).ToList();
        if (groups.Count == 0)
        {
            WriteViolations(options, [new FieldViolation("--group", $"no service engine group named '{options.Group}'", ViolationCode.UnknownReference)], output, error);
            return 2;
        }

        var report = new PlacementReport();
        foreach (var group in groups)
        {
            var initial = PlacementEngine.Compute(PlacementInput.ForGroup(configuration, group.Name, null, Epoch0));
            var placement = initial.Placement;
            PlacementResult? applied = null;
            if (options.HasEvents)
            {
                var changed = ApplySeEvents(options, configuration);
                var requests = Requests(options, changed, group);
                applied = PlacementEngine.Compute(PlacementInput.ForGroup(changed, group.Name, placement, Epoch0.AddSeconds(options.AfterSeconds), requests));
                placement = applied.Placement;
            }

            var budget = FailureDetectionBudget.Compute(group, configuration.SeAgentProperties);
            report.Serviceenginegroup.Add(PlacementReport.FromPlacement(group, placement, budget, applied));
        }

        if (options.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, SiloJsonContext.Default.PlacementReport));
        }
        else
        {
            foreach (var group in report.Serviceenginegroup)
            {
                WriteGroup(output, group, options.HasEvents);
            }
        }

        return 0;
    }

    private static (HaConfiguration? Configuration, IReadOnlyList<FieldViolation> Violations) Synthetic(PlacementOptions o)
    {
        var violations = new List<FieldViolation>();
        if (!AviNames.TryParse<HaMode>(o.HaMode, out var mode))
        {
            violations.Add(new FieldViolation("--ha-mode", $"'{o.HaMode}' is not one of {string.Join(", ", AviNames.NamesOf<HaMode>())}", ViolationCode.InvalidEnum));
        }

        if (!AviNames.TryParse<PlacementAlgo>(o.Algo, out var algo))
        {
            violations.Add(new FieldViolation("--algo", $"'{o.Algo}' is not one of {string.Join(", ", AviNames.NamesOf<PlacementAlgo>())}", ViolationCode.InvalidEnum));
        }

        if (o.Ses is < 0 or > 1000)
        {
            violations.Add(new FieldViolation("--ses", "must be between 0 and 1000", ViolationCode.OutOfRange));
        }

        if (o.Vss is < 0 or > 60000)
        {
            violations.Add(new FieldViolation("--vss", "must be between 0 and 60000", ViolationCode.OutOfRange));
        }

        if (violations.Count > 0)
        {
            return (null, violations);
        }

        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "Default-Group", HaMode = mode, Algo = algo, MaxVsPerSe = o.MaxVsPerSe, BufferSe = o.BufferSe, DistributeLoadActiveStandby = o.DistributeLoad, MaxSe = Math.Max(10, o.Ses) }],
            ServiceEngines = [.. Enumerable.Range(1, o.Ses).Select(i => new ServiceEngine { Name = $"se-{i}", SeGroupRef = "Default-Group", HostRef = $"host-{i}" })],
            VirtualServices = [.. Enumerable.Range(1, o.Vss).Select(i => new VirtualService
            {
                Name = $"vs-{i}",
                SeGroupRef = "Default-Group",
                ActiveStandbySeTag = i % 2 == 0 ? ActiveStandbySeTag.ActiveStandbySe2 : ActiveStandbySeTag.ActiveStandbySe1,
                Vip = [new Vip { VipId = "0", IpAddress = string.Create(CultureInfo.InvariantCulture, $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}") }],
            })],
        };
        return (config, ConfigurationValidator.Validate(config));
    }

    private static List<FieldViolation> CheckEventTargets(PlacementOptions o, HaConfiguration c)
    {
        var violations = new List<FieldViolation>();
        void Check(string flag, IEnumerable<string> names, IEnumerable<string> known, string what)
        {
            var set = known.ToHashSet(StringComparer.Ordinal);
            foreach (var name in names.Where(n => !set.Contains(n)))
            {
                violations.Add(new FieldViolation(flag, $"no {what} named '{name}'", ViolationCode.UnknownReference));
            }
        }

        var ses = c.ServiceEngines.Select(s => s.Name).ToList();
        var vss = c.VirtualServices.Select(v => v.Name).ToList();
        Check("--fail", o.Fail, ses, "service engine");
        Check("--recover", o.Recover, ses, "service engine");
        Check("--disable", o.Disable, ses, "service engine");
        Check("--switchover", o.Switchover, ses, "service engine");
        Check("--scaleout", o.ScaleOut, vss, "virtual service");
        Check("--scalein", o.ScaleIn, vss, "virtual service");
        Check("--migrate", o.Migrate, vss, "virtual service");
        return violations;
    }

    private static HaConfiguration ApplySeEvents(PlacementOptions o, HaConfiguration c) => c with
    {
        ServiceEngines = c.ServiceEngines.Select(s =>
            o.Fail.Contains(s.Name) ? s with { OperState = OperState.Down }
            : o.Recover.Contains(s.Name) ? s with { OperState = OperState.Up }
            : s).Select(s => o.Disable.Contains(s.Name) ? s with { EnableState = SeEnableState.Disabled } : s).ToEquatableArray(),
    };

    private static PlacementRequest[] Requests(PlacementOptions o, HaConfiguration c, ServiceEngineGroup group)
    {
        bool InGroup(string vs) => c.VirtualServices.Any(v => v.Name == vs && v.SeGroupRef == group.Name);
        bool SeInGroup(string se) => c.ServiceEngines.Any(s => s.Name == se && s.SeGroupRef == group.Name);
        var requests = new List<PlacementRequest>();
        requests.AddRange(o.ScaleOut.Where(InGroup).Select(v => new ScaleOutRequest { VsRef = v }));
        requests.AddRange(o.ScaleIn.Where(InGroup).Select(v => new ScaleInRequest { VsRef = v }));
        requests.AddRange(o.Migrate.Where(InGroup).Select(v => new MigrateRequest { VsRef = v }));
        requests.AddRange(o.Switchover.Where(SeInGroup).Select(s => new SeSwitchoverRequest { SeRef = s }));
        if (o.Redistribute && group.HaMode == HaMode.LegacyActiveStandby)
        {
            requests.Add(new RedistributeRequest());
        }

        return [.. requests];
    }

    private static void WriteViolations(PlacementOptions o, IReadOnlyList<FieldViolation> violations, TextWriter output, TextWriter error)
    {
        if (o.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(PlacementReport.Invalid(violations), SiloJsonContext.Default.PlacementReport));
            return;
        }

        error.WriteLine($"invalid configuration: {violations.Count} violation(s)");
        var table = new TextTable("FIELD", "PROBLEM");
        foreach (var v in violations)
        {
            table.Add(v.FieldPath, v.Description);
        }

        table.Write(error, "  ");
    }

    private static void WriteGroup(TextWriter output, PlacementReport.GroupReport g, bool showEvents)
    {
        output.WriteLine($"serviceenginegroup {g.Name}  {g.HaMode}  {g.Algo}  epoch {g.Epoch}  free slots {g.FreeSlots}");
        output.WriteLine($"  failure detection: datapath {g.FailureDetectionMs} ms, management path {g.ManagementPathDetectionMs} ms");
        output.WriteLine(g.HaCompromised ? $"  HA COMPROMISED: {g.HaCompromisedReason}" : "  HA: full protection");
        if (g.Legacy is { } l)
        {
            output.WriteLine($"  pair: SE_1 = {l.Se1Ref ?? "-"}, SE_2 = {l.Se2Ref ?? "-"}; floating_intf_ip on {l.FloatingIntfIpOwner ?? "-"}, floating_intf_ip_se_2 on {l.FloatingIntfIpSe2Owner ?? "-"}");
        }

        output.WriteLine();
        var ses = new TextTable("SERVICE ENGINE", "OPER STATE", "ENABLE STATE", "LOAD");
        foreach (var s in g.Serviceengine)
        {
            ses.Add(s.Name, s.OperState, s.EnableState, string.Create(CultureInfo.InvariantCulture, $"{s.Load}/{s.Capacity}"));
        }

        ses.Write(output, "  ");
        output.WriteLine();
        var vss = new TextTable("VIRTUAL SERVICE", "OPER STATE", "PRIMARY", "SECONDARIES", "STANDBY", "VIPS", "NOTE");
        foreach (var vs in g.Virtualservice)
        {
            var list = vs.Vip.FirstOrDefault()?.SeList ?? [];
            var secondaries = list.Where(e => !e.IsPrimary && !e.IsStandby).Select(e => e.DeleteInProgress ? e.SeRef + " (draining)" : e.SeRef);
            vss.Add(
                vs.Name,
                vs.OperState,
                list.FirstOrDefault(e => e.IsPrimary)?.SeRef,
                string.Join(",", secondaries),
                list.FirstOrDefault(e => e.IsStandby)?.SeRef,
                string.Join(",", vs.Vip.SelectMany(v => new[] { v.IpAddress, v.Ip6Address }).OfType<string>()),
                vs.Reason);
        }

        vss.Write(output, "  ");
        output.WriteLine();
        var owners = new TextTable("SERVICE ENGINE", "OWNS (VIPs, SNAT IPs, floating interface IPs)");
        foreach (var bySe in g.Addresses.GroupBy(a => a.SeRef).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var list = bySe.Select(a => a.Kind == "FloatingInterfaceIp" ? a.Address + " (floating)" : a.Kind == "SnatIp" ? a.Address + " (snat)" : a.Address).ToList();
            owners.Add(bySe.Key, list.Count <= 8 ? string.Join(", ", list) : string.Join(", ", list.Take(8)) + $", ... ({list.Count} addresses)");
        }

        owners.Write(output, "  ");
        if (showEvents)
        {
            output.WriteLine();
            output.WriteLine("  events:");
            foreach (var r in g.Requests)
            {
                output.WriteLine($"    {(r.Accepted ? "ACCEPTED" : "REFUSED")} {r.Request}: {r.Reason}");
            }

            foreach (var e in g.Events)
            {
                output.WriteLine($"    {e.EventId}  {e.Description}");
            }

            if (g.Events.Count == 0 && g.Requests.Count == 0)
            {
                output.WriteLine("    (none: nothing had to change)");
            }
        }

        output.WriteLine();
    }
}
