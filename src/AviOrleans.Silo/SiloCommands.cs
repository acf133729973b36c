using System.CommandLine;
using System.Runtime.InteropServices;
using AviOrleans.Silo.Placement;
using AviOrleans.Silo.Run;

namespace AviOrleans.Silo;

/// <summary>The command line of <c>aviorleans-silo</c>.</summary>
internal static class SiloCommands
{
    /// <summary>The program's name, which starts every error line.</summary>
    public const string Name = "aviorleans-silo";

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "AviOrleans silo: keeps Avi-style service engines highly available. Without a subcommand, runs one silo of an "
            + "Orleans cluster and the avi.v1 gRPC gateway until stopped (Ctrl+C, SIGTERM). Exit codes: 0 stopped, 1 could not "
            + "start or stopped by itself (declared dead by the cluster), 2 invalid options or configuration, 3 stopped for a rolling "
            + "upgrade (its supervisor starts the installed version).");
        SetSiloAction(root, CommandOptions.ForSilo(root));
        root.Subcommands.Add(BuildPlacement());
        var serve = new Command("serve", "The same as running without a subcommand: a silo and its avi.v1 gateway (kept for existing service units and manifests).");
        SetSiloAction(serve, CommandOptions.ForSilo(serve));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(BuildGateway());
        root.Subcommands.Add(Database.DbCommand.Build());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; SIGINT and SIGTERM stop a running silo or gateway gracefully.</summary>
    public static int Run(string[] args) =>
        Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });

    private static void SetSiloAction(Command command, CommandOptions options) =>
        command.SetAction((result, cancellationToken) => RunAsync(result, options, (run, output, error, ct) => SiloRunner.RunAsync(run, output, error, cancellationToken: ct), cancellationToken));

    private static Command BuildGateway()
    {
        var command = new Command(
            "gateway",
            "Run the avi.v1 gRPC gateway as an Orleans client of the cluster, without a silo (the Kubernetes Deployment); "
            + "health follows the client's connection. Same cluster, store and TLS options as the silo.");
        var options = CommandOptions.ForGateway(command);
        command.SetAction((result, cancellationToken) => RunAsync(result, options, (run, output, error, ct) => GatewayRunner.RunAsync(run, output, error, cancellationToken: ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CommandOptions options, Func<SiloRunOptions, TextWriter, TextWriter, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        SiloRunOptions runOptions;
        try
        {
            runOptions = options.Read(result);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{Name}: {ex.Message}");
            return 2;
        }

        // Ctrl+C, and SIGTERM from systemd or the kubelet: a graceful stop (the silo leaves the cluster), however
        // long it takes within the host's shutdown timeout.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await run(runOptions, output, error, stop.Token);
    }

    private static Command BuildPlacement()
    {
        var file = new Argument<string?>("file") { Description = "Configuration file (JSON, Avi field names). Omit to build one group from the flags below.", Arity = ArgumentArity.ZeroOrOne };
        var group = new Option<string?>("--group") { Description = "Show only this service engine group." };
        var fail = Many("--fail", "Declare this service engine down after the initial placement (repeatable).");
        var recover = Many("--recover", "Declare this service engine up again (repeatable).");
        var disable = Many("--disable", "Set this service engine to SE_STATE_DISABLED: its virtual services migrate away (repeatable).");
        var scaleOut = Many("--scaleout", "Scale out this virtual service by one service engine (repeatable).");
        var scaleIn = Many("--scalein", "Scale in this virtual service by one service engine (repeatable).");
        var migrate = Many("--migrate", "Migrate this virtual service's primary to another service engine (repeatable).");
        var switchover = Many("--switchover", "Legacy HA: switch every virtual service active on this service engine to its peer (repeatable).");
        var redistribute = new Option<bool>("--redistribute") { Description = "Legacy HA: move virtual services back to the service engine their tag names." };
        var after = new Option<int>("--after") { Description = "Seconds between the initial placement and the events (drains end after vs_scalein_timeout)." };
        var json = new Option<bool>("--json") { Description = "Print JSON (Avi field names) instead of tables." };
        var haMode = new Option<string>("--ha-mode") { Description = "Without a file: ha_mode of the group.", DefaultValueFactory = _ => "HA_MODE_SHARED" };
        var algo = new Option<string>("--algo") { Description = "Without a file: algo of the group.", DefaultValueFactory = _ => "PLACEMENT_ALGO_PACKED" };
        var ses = new Option<int>("--ses") { Description = "Without a file: number of service engines.", DefaultValueFactory = _ => 4 };
        var vss = new Option<int>("--vss") { Description = "Without a file: number of virtual services.", DefaultValueFactory = _ => 8 };
        var maxVsPerSe = new Option<int>("--max-vs-per-se") { Description = "Without a file: max_vs_per_se.", DefaultValueFactory = _ => 10 };
        var bufferSe = new Option<int>("--buffer-se") { Description = "Without a file: buffer_se.", DefaultValueFactory = _ => 1 };
        var distribute = new Option<bool>("--distribute-load") { Description = "Without a file: distribute_load_active_standby (legacy HA)." };

        var command = new Command("placement", "Compute and print the placement of virtual services on service engines.")
        {
            file, group, fail, recover, disable, scaleOut, scaleIn, migrate, switchover, redistribute, after, json,
            haMode, algo, ses, vss, maxVsPerSe, bufferSe, distribute,
        };
        command.SetAction(result => PlacementCommand.Run(
            new PlacementOptions
            {
                File = result.GetValue(file),
                Group = result.GetValue(group),
                Fail = result.GetValue(fail) ?? [],
                Recover = result.GetValue(recover) ?? [],
                Disable = result.GetValue(disable) ?? [],
                ScaleOut = result.GetValue(scaleOut) ?? [],
                ScaleIn = result.GetValue(scaleIn) ?? [],
                Migrate = result.GetValue(migrate) ?? [],
                Switchover = result.GetValue(switchover) ?? [],
                Redistribute = result.GetValue(redistribute),
                AfterSeconds = result.GetValue(after),
                Json = result.GetValue(json),
                HaMode = result.GetValue(haMode) ?? "HA_MODE_SHARED",
                Algo = result.GetValue(algo) ?? "PLACEMENT_ALGO_PACKED",
                Ses = result.GetValue(ses),
                Vss = result.GetValue(vss),
                MaxVsPerSe = result.GetValue(maxVsPerSe),
                BufferSe = result.GetValue(bufferSe),
                DistributeLoad = result.GetValue(distribute),
            },
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
}
