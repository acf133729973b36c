namespace AviOrleans.Domain;

/// <summary>
/// One SE's load as measured over the last part of an <c>auto_rebalance_interval</c> (Avi looks at the last 30 s):
/// an input of the engine like any other, so rebalancing is a pure function of what the caller measured.
/// </summary>
public sealed record SeLoadSample
{
    /// <summary>The SE's name.</summary>
    public required string SeRef { get; init; }

    /// <summary>CPU usage in percent (0–100).</summary>
    public double CpuUsage { get; init; }

    /// <summary>Packets per second.</summary>
    public long Pps { get; init; }

    /// <summary>Throughput in Mbit/s.</summary>
    public long Mbps { get; init; }

    /// <summary>Open connections.</summary>
    public long OpenConns { get; init; }

    /// <summary>New connections per second.</summary>
    public long Cps { get; init; }

    /// <summary>Each VS's share of this SE's packets per second (a VS above 70 % is scaled out rather than migrated).</summary>
    public EquatableArray<VsPpsShare> VsPpsShares { get; init; }
}
