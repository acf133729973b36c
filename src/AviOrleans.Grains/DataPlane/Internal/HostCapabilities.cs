using System.Globalization;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>The effective capabilities of this process (CapEff in /proc/self/status, capability(7) numbers).</summary>
internal readonly record struct HostCapabilities(bool NetAdmin, bool NetRaw, bool SysAdmin)
{
    private const int CAP_NET_ADMIN = 12;
    private const int CAP_NET_RAW = 13;
    private const int CAP_SYS_ADMIN = 21;

    public static HostCapabilities Current()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var mask = line is null ? 0UL : ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new(Has(mask, CAP_NET_ADMIN), Has(mask, CAP_NET_RAW), Has(mask, CAP_SYS_ADMIN));
    }

    private static bool Has(ulong mask, int capability) => (mask & (1UL << capability)) != 0;
}
