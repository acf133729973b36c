using System.CommandLine;
using System.Globalization;
using AviOrleans.Api.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AviOrleans.Cli.Internal;

/// <summary>The command tree of avictl and what each command does.</summary>
internal sealed class AvictlCommands
{
    private readonly TextWriter _output;
    private readonly Func<string, string?> _environment;
    private readonly Option<string> _gateway = new("--gateway") { Description = $"The gateway: host:port or http(s)://host:port. Default: $AVICTL_GATEWAY, else {ClientSettings.DefaultGateway}.", Recursive = true };
    private readonly Option<string> _token = new("--token") { Description = "Bearer token. Default: $AVICTL_TOKEN.", Recursive = true };
    private readonly Option<bool> _tls = new("--tls") { Description = "Use TLS (https) for a host:port gateway.", Recursive = true };
    private readonly Option<string> _ca = new("--ca") { Description = "PEM certificate to trust for TLS (implies --tls). Default: $AVICTL_CA.", Recursive = true };
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON (Avi field names) instead of tables; errors as JSON on stderr.", Recursive = true };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds each call may take. Default: 30.", Recursive = true, DefaultValueFactory = _ => 30 };

    public AvictlCommands(TextWriter output, Func<string, string?> environment)
    {
        _output = output;
        _environment = environment;
        Root = new RootCommand(
            "avictl: configure and watch AviOrleans, in the spirit of the Avi CLI.\n" +
            "Exit codes: 0 ok, 1 other failure, 2 usage, 3 invalid request (fields listed), 4 not found, " +
            "5 refused (exists, not allowed in this mode or state), 6 token missing/wrong/not allowed, 7 gateway unreachable or too slow.");
        foreach (var option in new System.CommandLine.Option[] { _gateway, _token, _tls, _ca, _json, _timeout })
        {
            Root.Options.Add(option);
        }

        Root.Subcommands.Add(Configure());
        Root.Subcommands.Add(Show());
        Root.Subcommands.Add(Delete());
        Root.Subcommands.Add(Watch());
        Root.Subcommands.Add(Failover());
        Root.Subcommands.Add(Redistribute());
        Root.Subcommands.Add(Migrate());
        Root.Subcommands.Add(ScaleOut());
        Root.Subcommands.Add(ScaleIn());
        Root.Subcommands.Add(Upgrade());
    }

    public RootCommand Root { get; }

    private static Argument<string> NameArgument(string what) => new("name") { Description = "The " + what + "'s name." };

    private Command Configure()
    {
        var command = new Command("configure", "Create an object, or change the fields given: configure serviceenginegroup NAME ha_mode HA_MODE_SHARED max_vs_per_se 8");
        foreach (var kind in ObjectKinds.All)
        {
            var name = NameArgument(kind.Name);
            var fields = new Argument<string[]>("field-value") { Arity = ArgumentArity.ZeroOrMore, Description = "Pairs of Avi field name and value. Fields: " + string.Join(", ", FieldArguments.Settable(kind.Descriptor, kind.ReadOnly)) };
            var validateOnly = new Option<bool>("--validate-only") { Description = "Check the change without making it." };
            var sub = new Command(kind.Name, $"Create or change a {kind.Name}.");
            sub.Arguments.Add(name);
            sub.Arguments.Add(fields);
            sub.Options.Add(validateOnly);
            sub.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
            {
                var objectName = parse.GetValue(name)!;
                var message = kind.New(objectName);
                var paths = FieldArguments.Apply(message, parse.GetValue(fields) ?? [], kind.ReadOnly);
                IMessage? existing = null;
                try
                {
                    existing = await kind.Get(client, objectName);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    // Not there yet: create it.
                }

                var check = parse.GetValue(validateOnly);
                var result = existing is null ? await kind.Create(client, message, check)
                    : paths.Count == 0 ? existing
                    : await kind.Update(client, message, new FieldMask { Paths = { paths } }, check);
                WriteObject(settings, result);
                return ExitCodes.Ok;
            }, ct));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private Command Show()
    {
        var command = new Command("show", "Show objects, placements and HA status: show virtualservice [NAME [placement]], show serviceenginegroup [NAME [status]], show placement, show failover NAME, show pool NAME.");
        foreach (var kind in ObjectKinds.All)
        {
            var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "Show one object; without it, list them all." };
            var view = new Argument<string?>("view") { Arity = ArgumentArity.ZeroOrOne, Description = ViewHelp(kind) };
            var group = new Option<string>("--se-group") { Description = "Only objects of this service engine group." };
            var sub = new Command(kind.Name, $"Show {kind.Name} objects.");
            sub.Arguments.Add(name);
            sub.Arguments.Add(view);
            if (kind.HasGroup)
            {
                sub.Options.Add(group);
            }

            sub.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
            {
                var objectName = parse.GetValue(name);
                var viewName = parse.GetValue(view);
                if (objectName is null)
                {
                    var items = await kind.List(client, kind.HasGroup ? parse.GetValue(group) : null);
                    _output.Write(settings.Json ? JsonArray(items) : kind.Table(items));
                    return ExitCodes.Ok;
                }

                IMessage result = (kind.Name, viewName) switch
                {
                    (_, null) => await kind.Get(client, objectName),
                    ("virtualservice", "placement" or "runtime") => await client.CallAsync(o => client.Ha.GetVirtualServicePlacementAsync(new() { VirtualServiceRef = objectName }, o)),
                    ("serviceenginegroup", "status" or "runtime") => await client.CallAsync(o => client.Ha.GetServiceEngineGroupStatusAsync(new() { SeGroupRef = objectName }, o)),
                    _ => throw new UsageException($"show {kind.Name} has no view \"{viewName}\". {ViewHelp(kind)}"),
                };
                WriteObject(settings, result);
                return ExitCodes.Ok;
            }, ct));
            command.Subcommands.Add(sub);
        }

        var placementGroup = new Option<string>("--se-group") { Description = "Only virtual services of this group." };
        var placements = new Command("placement", "The placement and HA state of every virtual service.");
        placements.Options.Add(placementGroup);
        placements.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
        {
            var all = new List<VirtualServicePlacement>();
            var token = string.Empty;
            do
            {
                var page = await client.CallAsync(o => client.Ha.ListVirtualServicePlacementsAsync(new() { PageSize = 1000, PageToken = token, SeGroupRef = parse.GetValue(placementGroup) ?? string.Empty }, o));
                all.AddRange(page.Placements);
                token = page.NextPageToken;
            }
            while (token.Length > 0);
            _output.Write(settings.Json ? JsonArray(all) : Render.Placements(all));
            return ExitCodes.Ok;
        }, ct));
        command.Subcommands.Add(placements);

        var failoverName = NameArgument("virtualservice");
        var failover = new Command("failover", "Every placement change of a virtual service, oldest first, with each failover's timeline (suspected, declared dead, decided with the epoch, VIP added, GARP/NA sent, first health check).");
        failover.Arguments.Add(failoverName);
        failover.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
        {
            var history = await client.CallAsync(o => client.Ha.GetVirtualServiceHistoryAsync(new() { VirtualServiceRef = parse.GetValue(failoverName)! }, o));
            _output.Write(settings.Json ? Render.Json(history) + Environment.NewLine : Render.History(history));
            return ExitCodes.Ok;
        }, ct));
        command.Subcommands.Add(failover);

        var poolName = NameArgument("virtualservice");
        var pool = new Command("pool", "The pool of a virtual service (its pool_servers, checked by its pool_health_monitors): each server up, down or unknown as the primary SE sees it, when it was last checked and why it is down, and every checking SE's view.");
        pool.Arguments.Add(poolName);
        pool.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
        {
            var status = await client.CallAsync(o => client.Ha.GetPoolStatusAsync(new() { VirtualServiceRef = parse.GetValue(poolName)! }, o));
            _output.Write(settings.Json ? Render.Json(status) + Environment.NewLine : Render.Pool(status));
            return ExitCodes.Ok;
        }, ct));
        command.Subcommands.Add(pool);
        return command;
    }

    private Command Delete()
    {
        var command = new Command("delete", "Delete an object: delete virtualservice NAME.");
        foreach (var kind in ObjectKinds.All)
        {
            var name = NameArgument(kind.Name);
            var sub = new Command(kind.Name, $"Delete a {kind.Name}.");
            sub.Arguments.Add(name);
            sub.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
            {
                var objectName = parse.GetValue(name)!;
                await kind.Delete(client, objectName);
                _output.WriteLine(settings.Json ? "{}" : $"Deleted {kind.Name} {objectName}.");
                return ExitCodes.Ok;
            }, ct));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private Command Watch()
    {
        var group = new Option<string>("--se-group") { Description = "Only virtual services of this group." };
        var vs = new Option<string>("--virtualservice") { Description = "Only this virtual service." };
        var resume = new Option<ulong>("--resume-after") { Description = "Resume after this sequence number (printed with every change) instead of starting with a snapshot." };
        var count = new Option<int>("--count") { Description = "Stop after this many messages (0: run until Ctrl+C)." };
        var command = new Command("watch", "Follow placement changes: a snapshot, then every change as it happens (one line each; JSON lines with --json).");
        command.Options.Add(group);
        command.Options.Add(vs);
        command.Options.Add(resume);
        command.Options.Add(count);
        command.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
        {
            var limit = parse.GetValue(count);
            if (limit < 0)
            {
                throw new UsageException("--count must not be negative.");
            }

            var request = new WatchPlacementsRequest
            {
                SeGroupRef = parse.GetValue(group) ?? string.Empty,
                VirtualServiceRef = parse.GetValue(vs) ?? string.Empty,
                ResumeAfterSequence = parse.GetValue(resume),
            };
            var seen = 0;
            try
            {
                await foreach (var change in client.StreamAsync(o => client.Ha.WatchPlacements(request, o), ct))
                {
                    _output.WriteLine(settings.Json ? Render.JsonLine(change) : Render.Change(change));
                    await _output.FlushAsync(ct);
                    if (limit > 0 && ++seen >= limit)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C: the normal way to stop watching.
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                // Same, seen through the transport.
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private Command Failover()
    {
        var command = new Command("failover", "Manual failover (Avi's switchover): failover virtualservice NAME, or failover serviceengine NAME to move every active virtual service off it.");
        var vsName = NameArgument("virtualservice");
        var vipId = new Option<string>("--vip-id") { Description = "Avi's vip_id (informational; a virtual service's VIPs move together)." };
        var vs = new Command("virtualservice", "Make the standby SE of a virtual service its active SE (legacy HA).");
        vs.Arguments.Add(vsName);
        vs.Options.Add(vipId);
        vs.SetAction((parse, ct) => OperationAsync(parse, (c, o) => c.Ha.SwitchoverVirtualServiceAsync(
            new SwitchoverVirtualServiceRequest { VirtualServiceRef = parse.GetValue(vsName)!, VipId = parse.GetValue(vipId) ?? string.Empty }, o), ct));
        var seName = NameArgument("serviceengine");
        var se = new Command("serviceengine", "Move every virtual service active on this SE to its peer (legacy HA; for maintenance).");
        se.Arguments.Add(seName);
        se.SetAction((parse, ct) => OperationAsync(parse, (c, o) => c.Ha.SwitchoverServiceEngineAsync(new SwitchoverServiceEngineRequest { SeRef = parse.GetValue(seName)! }, o), ct));
        command.Subcommands.Add(vs);
        command.Subcommands.Add(se);
        return command;
    }

    private Command Redistribute()
    {
        var name = NameArgument("serviceenginegroup");
        var group = new Command("serviceenginegroup", "Legacy HA manual failback: virtual services return to the SE their active_standby_se_tag names.");
        group.Arguments.Add(name);
        group.SetAction((parse, ct) => OperationAsync(parse, (c, o) => c.Ha.RedistributeServiceEngineGroupAsync(new RedistributeServiceEngineGroupRequest { SeGroupRef = parse.GetValue(name)! }, o), ct));
        var command = new Command("redistribute", "Redistribute a legacy active/standby group (failback).");
        command.Subcommands.Add(group);
        return command;
    }

    private Command Migrate()
    {
        var name = NameArgument("virtualservice");
        var from = new Option<string>("--from") { Description = "The SE to leave (default: the primary)." };
        var to = new Option<string>("--to") { Description = "The SE to go to (default: the placement algorithm's choice)." };
        var vs = new Command("virtualservice", "Move a virtual service to another SE (elastic HA only).");
        vs.Arguments.Add(name);
        vs.Options.Add(from);
        vs.Options.Add(to);
        vs.SetAction((parse, ct) => OperationAsync(parse, (c, o) => c.Ha.MigrateVirtualServiceAsync(new MigrateVirtualServiceRequest
        {
            VirtualServiceRef = parse.GetValue(name)!,
            FromSeRef = parse.GetValue(from) ?? string.Empty,
            ToSeRef = parse.GetValue(to) ?? string.Empty,
        }, o), ct));
        var command = new Command("migrate", "Migrate a virtual service (Avi's migrate).");
        command.Subcommands.Add(vs);
        return command;
    }

    private Command ScaleOut()
    {
        var name = NameArgument("virtualservice");
        var to = new Option<string>("--to") { Description = "The SE to add (default: the placement algorithm's choice)." };
        var vs = new Command("virtualservice", "Add an SE to a virtual service (elastic HA, up to max_scaleout_per_vs).");
        vs.Arguments.Add(name);
        vs.Options.Add(to);
        vs.SetAction((parse, ct) => OperationAsync(parse, (c, o) => c.Ha.ScaleOutVirtualServiceAsync(new ScaleOutVirtualServiceRequest { VirtualServiceRef = parse.GetValue(name)!, ToSeRef = parse.GetValue(to) ?? string.Empty }, o), ct));
        var command = new Command("scaleout", "Scale a virtual service out.");
        command.Subcommands.Add(vs);
        return command;
    }

    private Command ScaleIn()
    {
        var name = NameArgument("virtualservice");
        var from = new Option<string>("--from") { Description = "The SE to remove (default: the newest secondary)." };
        var primary = new Option<bool>("--primary") { Description = "Allow removing the primary (a secondary takes over the VIP)." };
        var vs = new Command("virtualservice", "Remove an SE from a virtual service after a drain (never below one).");
        vs.Arguments.Add(name);
        vs.Options.Add(from);
        vs.Options.Add(primary);
        vs.SetAction((parse, ct) => OperationAsync(parse, (c, o) => c.Ha.ScaleInVirtualServiceAsync(new ScaleInVirtualServiceRequest
        {
            VirtualServiceRef = parse.GetValue(name)!,
            FromSeRef = parse.GetValue(from) ?? string.Empty,
            ScaleinPrimary = parse.GetValue(primary),
        }, o), ct));
        var command = new Command("scalein", "Scale a virtual service in.");
        command.Subcommands.Add(vs);
        return command;
    }

    private Command Upgrade()
    {
        var name = NameArgument("serviceenginegroup");
        var version = new Option<string>("--version") { Description = "The version the SEs are to run.", Required = true };
        var disruptive = new Option<bool>("--disruptive") { Description = "Do not move virtual services off an SE before upgrading it." };
        var continueOnError = new Option<bool>("--continue-on-error") { Description = "Go on with the next SE when one fails (default: suspend)." };
        var group = new Command("serviceenginegroup", "Rolling upgrade of a group, one SE at a time; prints each step from its start. The upgrade runs in the cluster: stopping avictl stops only the printing, and the same command follows a running upgrade again.");
        group.Arguments.Add(name);
        group.Options.Add(version);
        group.Options.Add(disruptive);
        group.Options.Add(continueOnError);
        group.SetAction((parse, ct) => RunAsync(parse, async (client, settings) =>
        {
            var request = new UpgradeServiceEngineGroupRequest
            {
                SeGroupRef = parse.GetValue(name)!,
                Version = parse.GetValue(version)!,
                Disruptive = parse.GetValue(disruptive),
                ActionOnError = parse.GetValue(continueOnError) ? UpgradeActionOnError.ContinueUpgradeOpsOnError : UpgradeActionOnError.SuspendUpgradeOpsOnError,
            };
            var last = UpgradeState.Unspecified;
            await foreach (var step in client.StreamAsync(o => client.Ha.UpgradeServiceEngineGroup(request, o), ct))
            {
                _output.WriteLine(settings.Json ? Render.JsonLine(step) : Render.Upgrade(step));
                await _output.FlushAsync(ct);
                last = step.State;
            }

            return last == UpgradeState.UpgradeSuspended ? ExitCodes.Refused : ExitCodes.Ok;
        }, ct));
        var command = new Command("upgrade", "Upgrade the SEs of a group.");
        command.Subcommands.Add(group);
        return command;
    }

    private Task<int> OperationAsync(ParseResult parse, Func<AviClient, CallOptions, AsyncUnaryCall<HaOperationResponse>> call, CancellationToken ct) =>
        RunAsync(parse, async (client, settings) =>
        {
            var response = await client.CallAsync(o => call(client, o));
            _output.Write(settings.Json ? Render.Json(response) + Environment.NewLine : Render.Operation(response));
            return ExitCodes.Ok;
        }, ct);

    private async Task<int> RunAsync(ParseResult parse, Func<AviClient, ClientSettings, Task<int>> body, CancellationToken ct)
    {
        var error = parse.InvocationConfiguration.Error;
        ClientSettings? settings = null;
        try
        {
            settings = Settings(parse);
            using var client = new AviClient(settings, ct);
            return await body(client, settings);
        }
        catch (UsageException e)
        {
            return ErrorReport.WriteUsage(e.Message, settings, error);
        }
        catch (RpcException e) when (settings is not null)
        {
            return ErrorReport.Write(e, settings, error);
        }
    }

    private ClientSettings Settings(ParseResult parse)
    {
        var ca = parse.GetValue(_ca) ?? _environment("AVICTL_CA");
        var tls = parse.GetValue(_tls) || ca is not null;
        var gateway = ClientSettings.ParseGateway(parse.GetValue(_gateway) ?? _environment("AVICTL_GATEWAY") ?? ClientSettings.DefaultGateway, tls);
        var timeout = parse.GetValue(_timeout);
        if (!(timeout > 0) || timeout > 86400)
        {
            throw new UsageException("--timeout must be a number of seconds above 0 (at most a day).");
        }

        var token = parse.GetValue(_token) ?? _environment("AVICTL_TOKEN");
        return new ClientSettings(gateway, string.IsNullOrEmpty(token) ? null : token, ca, parse.GetValue(_json), TimeSpan.FromSeconds(timeout));
    }

    private void WriteObject(ClientSettings settings, IMessage message)
    {
        if (settings.Json)
        {
            _output.WriteLine(Render.Json(message));
            return;
        }

        _output.Write(message switch
        {
            VirtualServicePlacement p => Render.Placement(p),
            ServiceEngineGroupStatus s => Render.GroupStatus(s),
            _ => Render.Object(message),
        });
    }

    private static string JsonArray(IEnumerable<IMessage> items) =>
        "[" + string.Join(",", items.Select(i => Environment.NewLine + Render.Json(i))) + Environment.NewLine + "]" + Environment.NewLine;

    private static string ViewHelp(ObjectKind kind) => kind.Name switch
    {
        "virtualservice" => "'placement': its SEs per VIP, active and standby, state, epoch and the reason when unplaced.",
        "serviceenginegroup" => "'status': its SEs' load, the legacy pair roles and who owns each address.",
        _ => "No views.",
    };
}
