using System.Globalization;
using System.Security.Cryptography;
using AviOrleans.Testing.Lan.Internal;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// The name of one LAN: <c>avl-PID-START-RANDOM</c>, where PID and START (its start time in clock ticks since boot) name
/// the process that made it and RANDOM tells apart the LANs of one process. Every network namespace of the LAN is
/// <c>NAME-NODE</c> and its work folder is <c>/tmp/NAME</c>, so whatever a crashed run left behind can be traced to
/// its owner and removed once that owner is gone, and never while it lives.
/// </summary>
/// <param name="OwnerPid">The PID of the process that made the LAN.</param>
/// <param name="OwnerStartTime">That process's start time (field 22 of /proc/PID/stat).</param>
/// <param name="Tag">Random hex digits.</param>
public sealed record LanRunName(int OwnerPid, long OwnerStartTime, string Tag)
{
    /// <summary>The prefix of every LAN name.</summary>
    public const string Prefix = "avl-";

    /// <summary>A new name owned by this process.</summary>
    public static LanRunName New() => new(
        Environment.ProcessId,
        LinuxProcesses.StartTime(Environment.ProcessId) ?? throw new LanException("/proc/self/stat is unreadable."),
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));

    /// <summary>Reads the name at the start of <paramref name="text"/> (a namespace or folder name); null when it is not one.</summary>
    public static LanRunName? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = text[Prefix.Length..].Split('-', 4);
        if (parts.Length < 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || parts[2].Length == 0
            || !parts[2].All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        return new LanRunName(pid, start, parts[2]);
    }

    /// <summary>True while the owning process runs (same PID and same start time).</summary>
    public bool OwnerIsAlive => LinuxProcesses.StartTime(OwnerPid) == OwnerStartTime && LinuxProcesses.IsAlive(OwnerPid);

    /// <summary>The name of the namespace of <paramref name="node"/>.</summary>
    public string Namespace(string node) => $"{this}-{node}";

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{OwnerPid}-{OwnerStartTime}-{Tag}");
}
