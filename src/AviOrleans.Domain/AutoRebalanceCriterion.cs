namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>auto_rebalance_criteria</c> values: the load metrics auto-rebalance compares with <c>max_cpu_usage</c> /
/// <c>min_cpu_usage</c>. CPU is a percentage already; the others are taken as a percentage of the SE's capacity for
/// that metric (<c>auto_rebalance_capacity_per_se</c>, same order as the criteria).
/// </summary>
public enum AutoRebalanceCriterion
{
    /// <summary><c>SE_AUTO_REBALANCE_CPU</c>: SE CPU usage in percent (the criterion when none is configured).</summary>
    Cpu = 0,

    /// <summary><c>SE_AUTO_REBALANCE_PPS</c>: packets per second.</summary>
    Pps = 1,

    /// <summary><c>SE_AUTO_REBALANCE_MBPS</c>: throughput in Mbit/s.</summary>
    Mbps = 2,

    /// <summary><c>SE_AUTO_REBALANCE_OPEN_CONNS</c>: open connections.</summary>
    OpenConns = 3,

    /// <summary><c>SE_AUTO_REBALANCE_CPS</c>: new connections per second.</summary>
    Cps = 4,
}
