using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Starts the guard process (<see cref="VipGuardProcess"/>) as a child of the silo and feeds it every new evidence
/// deadline, translated to the system monotonic clock the guard reads.
/// </summary>
internal sealed partial class GuardConnection(
    LivenessEvidence evidence,
    IOptions<DataPlaneOptions> options,
    TimeProvider timeProvider,
    ILocalSiloDetails localSilo,
    ILogger<GuardConnection> logger,
    LeaseStoreLocation? leaseStore = null) : IAsyncDisposable
{
    private static readonly TimeSpan ArmTimeout = TimeSpan.FromSeconds(30);

    private readonly DataPlaneOptions _options = options.Value;
    private readonly Lock _lock = new();
    private Process? _process;
    private bool _stopping;
    private bool _writeFailed;

    /// <summary>The guard's process id, once started.</summary>
    public int? ProcessId => _process?.Id;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var command = _options.GuardCommand ?? DefaultCommand();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(VipGuardProcess.Arguments(Environment.ProcessId, _options.AddressProtocol, _options.NetworkNamespace)))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The VIP guard ({command[0]}) did not start.");
        process.EnableRaisingEvents = true;
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                Log.GuardSaid(logger, text);
            }
        };
        process.BeginErrorReadLine();
        using var armed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        armed.CancelAfter(ArmTimeout);
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(armed.Token).ConfigureAwait(false);
            if (first != "armed")
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
                throw new InvalidOperationException($"The VIP guard ({command[0]}) exited with code {process.ExitCode} instead of arming; its messages are in the log (event 6171).");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
            if (ex is InvalidOperationException)
            {
                throw;
            }

            throw new InvalidOperationException($"The VIP guard ({command[0]}) did not arm within {ArmTimeout.TotalSeconds:0} s.", ex);
        }

        process.Exited += (_, _) =>
        {
            if (!Volatile.Read(ref _stopping))
            {
                Log.GuardExited(logger, process.ExitCode);
            }
        };
        lock (_lock)
        {
            _process = process;
        }

        // Where the silo's lease is, so that the guard can hand it over after a crash (GuardLeaseHandOff). A host
        // that registered a lease store of its own has no location: survivors then wait out the window.
        if (leaseStore is not null)
        {
            WriteLine($"{GuardLeaseHandOff.StoreLine} {leaseStore.ToJson()}");
            WriteLine($"{GuardLeaseHandOff.LeaseLine} {SiloLeases.NameOf(localSilo.SiloAddress)}");
        }

        evidence.DeadlineChanged += Send;
        if (evidence.Deadline is > 0 and var deadline)
        {
            Send(deadline);
        }

        Log.GuardStarted(logger, process.Id);
    }

    /// <summary>Stops the guard with SIGKILL (its only on-purpose stop: SIGTERM means "the silo may be dead").</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopping, true);
        evidence.DeadlineChanged -= Send;
        Process? process;
        lock (_lock)
        {
            process = _process;
            _process = null;
        }

        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
        }
    }

    private void Send(long deadline)
    {
        // The guard reads Stopwatch (CLOCK_MONOTONIC); the deadline is on this silo's TimeProvider, the same clock in
        // production and a driven one in some tests.
        var remaining = deadline - timeProvider.GetTimestamp();
        var systemDeadline = Stopwatch.GetTimestamp() + (long)(remaining * ((double)Stopwatch.Frequency / timeProvider.TimestampFrequency));
        WriteLine("deadline " + systemDeadline.ToString(CultureInfo.InvariantCulture));
    }

    private void WriteLine(string line)
    {
        lock (_lock)
        {
            if (_process is not { HasExited: false } process)
            {
                return;
            }

            try
            {
                process.StandardInput.WriteLine(line);
                process.StandardInput.Flush();
            }
            catch (IOException ex)
            {
                if (!_writeFailed)
                {
                    _writeFailed = true;
                    Log.GuardWriteFailed(logger, ex);
                }
            }
        }
    }

    /// <summary>This silo's own executable with <see cref="VipGuardProcess.Command"/> (through the dotnet host when the
    /// silo runs as <c>dotnet aviorleans-silo.dll</c>).</summary>
    private static string[] DefaultCommand()
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("The silo's executable is unknown; set DataPlaneOptions.GuardCommand.");
        return Path.GetFileNameWithoutExtension(executable) == "dotnet"
            ? [executable, "exec", Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("The silo's entry assembly is unknown; set DataPlaneOptions.GuardCommand.")]
            : [executable];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6170, Level = LogLevel.Information, Message = "VIP guard started (process {ProcessId}): it removes the marked addresses if this silo dies or its evidence deadline passes")]
        public static partial void GuardStarted(ILogger logger, int processId);

        [LoggerMessage(EventId = 6171, Level = LogLevel.Warning, Message = "VIP guard: {Message}")]
        public static partial void GuardSaid(ILogger logger, string message);

        [LoggerMessage(EventId = 6172, Level = LogLevel.Critical, Message = "The VIP guard exited (code {ExitCode}) while the silo runs: a crash of this silo now leaves its addresses until their kernel lifetime runs out")]
        public static partial void GuardExited(ILogger logger, int exitCode);

        [LoggerMessage(EventId = 6173, Level = LogLevel.Error, Message = "Writing to the VIP guard (its evidence deadline, or where the lease is) failed")]
        public static partial void GuardWriteFailed(ILogger logger, Exception exception);
    }
}
