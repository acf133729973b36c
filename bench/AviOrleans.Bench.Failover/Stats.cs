using System.Globalization;

/// <summary>Nearest-rank statistics over milliseconds, as FAILOVER-ANCHORS reports them (p95 of 20 = 19th smallest).</summary>
internal static class Stats
{
    public static double? Percentile(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    public static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "—";
}
