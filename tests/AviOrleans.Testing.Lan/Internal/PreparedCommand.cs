using System.Diagnostics;

namespace AviOrleans.Testing.Lan.Internal;

/// <summary>
/// A command started ahead of time that waits for its input on stdin (<c>ip -batch -</c>, <c>nft -f -</c>): the fork
/// and exec happen before a fault's t0, and <see cref="CommitAsync"/> only writes the input and closes stdin, so the
/// fault takes effect within a millisecond or two of t0 instead of after a process start (FAILOVER-ANCHORS wrote its
/// link-down to an <c>ip -batch -</c> that was already running for the same reason).
/// </summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private PreparedCommand(Process process, string description)
    {
        _process = process;
        _description = description;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts <paramref name="file"/> with its stdin kept open.</summary>
    public static PreparedCommand Start(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return new PreparedCommand(Process.Start(start) ?? throw new LanException($"`{Command.Describe(file, arguments)}` did not start."), Command.Describe(file, arguments));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LanException($"`{file}` could not be started ({ex.Message}); is it installed? scripts/test.sh installs what the LAN harness needs.", ex);
        }
    }

    /// <summary>Writes <paramref name="input"/>, closes stdin, and waits for a successful exit (bounded).</summary>
    public async Task CommitAsync(string input, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(Command.DefaultTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            _process.Kill();
            throw new LanException($"`{_description}` did not finish within {Command.DefaultTimeout.TotalSeconds:0} s.", ex);
        }

        if (_process.ExitCode != 0)
        {
            throw new LanException($"`{_description}` exited with {_process.ExitCode}: {(await _error.ConfigureAwait(false) + await _output.ConfigureAwait(false)).Trim()}");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
