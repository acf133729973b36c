using System.CommandLine;
using AviOrleans.Cli.Internal;
using Grpc.Core;

namespace AviOrleans.Cli;

/// <summary>
/// avictl's commands, in the spirit of the Avi CLI: <c>configure</c>, <c>show</c> and
/// <c>delete</c> of serviceenginegroup, serviceengine, virtualservice and vsvip; placement and HA
/// status; <c>watch</c>; <c>failover</c>, <c>redistribute</c>, <c>migrate</c>, <c>scaleout</c>,
/// <c>scalein</c> and <c>upgrade</c>. Tables for people, <c>--json</c> for scripts; the exit code
/// says what kind of failure it was (see <c>avictl --help</c>).
/// </summary>
public static class AvictlApp
{
    /// <summary>Runs avictl with <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors go (stderr).</param>
    /// <param name="environment">Reads an environment variable (AVICTL_GATEWAY, AVICTL_TOKEN, AVICTL_CA).</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var commands = new AvictlCommands(output, environment ?? Environment.GetEnvironmentVariable);
        var parse = commands.Root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine("avictl: " + e.Message);
            }

            error.WriteLine("Try 'avictl --help'.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
