using System.Diagnostics;

namespace AviOrleans.Testing.Lan.Internal;

/// <summary>Runs a host tool (<c>ip</c>, <c>nft</c>) to completion with a bounded wait. The LAN is built with iproute2
/// because the project's netlink library creates no links (veth, bridge) and no namespaces.</summary>
internal static class Command
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command; throws <see cref="LanException"/> with its output when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null)
    {
        var (exitCode, output, error) = await TryRunAsync(file, arguments, cancellationToken, input).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new LanException($"`{Describe(file, arguments)}` exited with {exitCode}: {(error + output).Trim()}");
        }

        return output;
    }

    /// <summary>Runs the command and returns its exit code and output, whatever the exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LanException($"`{Describe(file, arguments)}` did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LanException($"`{file}` could not be started ({ex.Message}); is it installed? scripts/test.sh installs what the LAN harness needs.", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(DefaultTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                process.Kill();
                throw new LanException($"`{Describe(file, arguments)}` did not finish within {DefaultTimeout.TotalSeconds:0} s.", ex);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }

    public static string Describe(string file, IReadOnlyList<string> arguments) => arguments.Count == 0 ? file : file + " " + string.Join(' ', arguments);
}
