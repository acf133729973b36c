namespace AviOrleans.Bench.Grpc;

/// <summary>One measured run of unary calls.</summary>
internal sealed record UnaryResult(double CallsPerSecond, double P50Us, double P99Us, double CpuUsPerCall)
{
    /// <summary>The run with the median rate (its latencies come with it).</summary>
    public static UnaryResult Median(List<UnaryResult> runs) => runs.OrderBy(r => r.CallsPerSecond).ElementAt(runs.Count / 2);
}
