using AviOrleans.Testing.Lan.Internal;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// Removes what crashed runs left behind: LAN namespaces (<c>/var/run/netns/avl-*</c>) and work folders
/// (<c>/tmp/avl-*</c>) whose owning process (<see cref="LanRunName"/>) is gone. The processes still running inside
/// such a namespace are killed by PID first (a namespace with processes would outlive its deletion, and its links with
/// it). Anything whose owner still runs is left alone, so parallel runs never remove each other's LANs.
/// <see cref="VirtualLan.StartAsync"/> runs it before building a LAN.
/// </summary>
public static class LanJanitor
{
    private const string NamespaceFolder = "/var/run/netns";

    /// <summary>Removes every leftover of a dead owner; returns the names removed (namespaces and folders).</summary>
    public static async Task<IReadOnlyList<string>> RemoveStaleAsync(CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        if (Directory.Exists(NamespaceFolder))
        {
            foreach (var path in Directory.EnumerateFiles(NamespaceFolder, LanRunName.Prefix + "*"))
            {
                var name = Path.GetFileName(path);
                if (LanRunName.TryParse(name) is not { } run || run.OwnerIsAlive)
                {
                    continue;
                }

                await KillProcessesInAsync(name, cancellationToken).ConfigureAwait(false);
                // Another run's janitor may have removed it meanwhile: only a namespace that is still there counts.
                var (exitCode, _, _) = await Command.TryRunAsync("ip", ["netns", "del", name], cancellationToken).ConfigureAwait(false);
                if (exitCode == 0)
                {
                    removed.Add(name);
                }
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), LanRunName.Prefix + "*"))
        {
            if (LanRunName.TryParse(Path.GetFileName(folder)) is { } run && !run.OwnerIsAlive)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                    removed.Add(folder);
                }
                catch (DirectoryNotFoundException)
                {
                    // Removed by another run's janitor.
                }
            }
        }

        return removed;
    }

    /// <summary>SIGKILLs every process inside the named namespace (<c>ip netns pids</c>).</summary>
    internal static async Task KillProcessesInAsync(string namespaceName, CancellationToken cancellationToken)
    {
        var (exitCode, output, _) = await Command.TryRunAsync("ip", ["netns", "pids", namespaceName], cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            return;
        }

        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, out var pid) && pid != Environment.ProcessId)
            {
                LinuxProcesses.Signal(pid, Tmds.Linux.LibC.SIGKILL);
            }
        }
    }
}
