namespace AviOrleans.Testing.Lan;

/// <summary>What the harness needs from the machine: root (namespaces, setns, CAP_NET_ADMIN) and a few Debian tools
/// (scripts/test.sh installs them).</summary>
public static class LanPrerequisites
{
    /// <summary>iproute2: namespaces, veth, bridge, links.</summary>
    public const string Ip = "ip";

    /// <summary>nftables: partitions (bridge-family rules in the switch's namespace).</summary>
    public const string Nft = "nft";

    /// <summary>keepalived: the VRRP anchor.</summary>
    public const string Keepalived = "keepalived";

    /// <summary>What is missing: "root" and/or the tools among <paramref name="tools"/> not found on PATH (or in /usr/sbin, /sbin).</summary>
    public static IReadOnlyList<string> Missing(params string[] tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var missing = new List<string>();
        if (!Environment.IsPrivilegedProcess)
        {
            missing.Add("root");
        }

        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        foreach (var tool in tools)
        {
            if (!folders.Any(folder => File.Exists(Path.Combine(folder, tool))))
            {
                missing.Add(tool);
            }
        }

        return missing;
    }

    /// <summary>Throws <see cref="LanException"/> naming what is missing.</summary>
    public static void ThrowIfMissing(params string[] tools)
    {
        var missing = Missing(tools);
        if (missing.Count > 0)
        {
            throw new LanException($"The LAN harness needs {string.Join(", ", missing)} (run as root; scripts/test.sh installs the tools).");
        }
    }
}
