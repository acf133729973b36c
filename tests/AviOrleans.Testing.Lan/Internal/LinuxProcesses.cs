using System.Globalization;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Testing.Lan.Internal;

/// <summary>Signals by PID (kill(2) through Tmds.LibC) and what /proc says about a process.</summary>
internal static class LinuxProcesses
{
    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process no longer exists (ESRCH).
    /// Refuses to signal the harness's own process, which would stop or kill the measurement itself.</summary>
    public static bool Signal(int pid, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (pid == Environment.ProcessId)
        {
            throw new InvalidOperationException($"Refusing to send signal {signal} to the harness's own process {pid}.");
        }

        if (LibC.kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == LibC.ESRCH)
        {
            return false;
        }

        throw new LanException($"kill({pid}, {signal}) failed (errno {errno}).");
    }

    /// <summary>The fields of /proc/PID/stat after the command name, or null when the process is gone.</summary>
    /// <remarks>"pid (comm) state ppid ...": the command name may hold spaces and parentheses, so the fields start after
    /// the last ')'. Index 0 is the state (field 3 of proc(5)), 1 the parent PID, 19 the start time in clock ticks since
    /// boot (field 22).</remarks>
    public static string[]? StatFields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        var end = stat.LastIndexOf(')');
        return end < 0 || end + 2 > stat.Length ? null : stat[(end + 2)..].Split(' ');
    }

    /// <summary>The process state letter (R, S, D, T for stopped, Z for zombie...), or null when the process is gone.</summary>
    public static char? State(int pid) => StatFields(pid) is { } fields ? fields[0][0] : null;

    /// <summary>The start time of the process in clock ticks since boot, or null when it is gone. With the PID it names one
    /// process for the machine's uptime, even after the PID has been reused.</summary>
    public static long? StartTime(int pid) => StatFields(pid) is { Length: > 19 } fields ? long.Parse(fields[19], CultureInfo.InvariantCulture) : null;

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => State(pid) is { } state && state != 'Z' && state != 'X';

    /// <summary>Every live PID on the machine.</summary>
    public static IEnumerable<int> AllPids()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The live children of <paramref name="pid"/>.</summary>
    public static IEnumerable<int> Children(int pid) =>
        AllPids().Where(candidate => StatFields(candidate) is { Length: > 1 } fields && fields[1] == pid.ToString(CultureInfo.InvariantCulture) && IsAlive(candidate));

    /// <summary><paramref name="pid"/> and all its descendants, parents before children (found through the parent PIDs in /proc).</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var candidate in AllPids())
        {
            if (StatFields(candidate) is { Length: > 1 } fields && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(candidate);
            }
        }

        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
        {
            if (children.TryGetValue(tree[i], out var list))
            {
                tree.AddRange(list);
            }
        }

        return tree;
    }

    /// <summary>The PIDs whose network namespace is <paramref name="namespaceId"/> ("net:[INODE]", the link target of
    /// /proc/PID/ns/net), never the harness's own process.</summary>
    public static IReadOnlyList<int> InNetworkNamespace(string namespaceId)
    {
        var result = new List<int>();
        foreach (var pid in AllPids())
        {
            if (pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (new FileInfo($"/proc/{pid}/ns/net").LinkTarget == namespaceId)
                {
                    result.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }

        return result;
    }
}
