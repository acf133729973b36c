using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// <c>aviorleans-silo</c> as the first process of a PID namespace (a container's main process). A silo's VIP guard
/// must outlive a crashed silo: it removes the silo's addresses and revokes its lease (the data plane's E6). When a
/// namespace's first process exits, the kernel kills every other process in it, so the silo must not be that process:
/// this one starts the silo as its child (the same executable and arguments), passes SIGTERM and SIGINT on to it, and
/// once the silo has exited waits for the rest of the namespace (its guard, handed to this process when the silo
/// died) to finish, at most <see cref="Drain"/>; then it exits with the silo's exit code.
/// </summary>
internal static class ContainerInit
{
    /// <summary>Set in the silo's environment: the child runs the command itself.</summary>
    public const string ChildVariable = "AVIORLEANS_CONTAINER_CHILD";

    // The guard removes the addresses at once and gives up reaching the store after 5 s.
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    /// <summary>True for the first process of a PID namespace that has not started the silo yet.</summary>
    public static bool IsNeeded() =>
        Environment.ProcessId == 1 && Environment.GetEnvironmentVariable(ChildVariable) is null;

    /// <summary>Runs the silo as a child with <paramref name="args"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("The executable's path is unknown.");
        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(executable), "dotnet", StringComparison.Ordinal))
        {
            // Started as `dotnet aviorleans-silo.dll`: the child needs the assembly too.
            start.ArgumentList.Add(typeof(ContainerInit).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[ChildVariable] = "1";
        using var silo = Process.Start(start) ?? throw new InvalidOperationException("The silo did not start.");
        void PassOn(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = LibC.kill(silo.Id, context.Signal == PosixSignal.SIGINT ? LibC.SIGINT : LibC.SIGTERM);
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, PassOn);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, PassOn);
        await silo.WaitForExitAsync().ConfigureAwait(false);
        var until = Stopwatch.GetTimestamp() + (long)(Drain.TotalSeconds * Stopwatch.Frequency);
        while (OthersRunning() && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        return silo.ExitCode;
    }

    // Any process of the namespace but this one that has not exited (an exited child of this process stays a zombie,
    // state Z, until this process exits: it no longer runs).
    private static bool OthersRunning()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                // "pid (comm) state ...": the state follows the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
                if (state.Length > 0 && state[0] is not ('Z' or 'X'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return false;
    }
}
