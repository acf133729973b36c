namespace AviOrleans.Runtime.Hosting;

/// <summary>
/// Failure detection and membership. Defaults are tuned for fast detection (a killed silo is declared dead in
/// about 3 probe periods plus one table write, a few hundred milliseconds) where Orleans' defaults take 10-15 s.
/// </summary>
public sealed class ClusterMembershipOptions
{
    /// <summary>How often each silo probes each monitored silo. Default: 100 ms (Orleans: 5 s).</summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a probe may take before it counts as missed. Default: 250 ms.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Consecutive missed probes after which the prober votes the silo dead. Default: 3 (as Orleans).</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Votes needed to declare a silo dead, capped at a majority of the active silos: the rule is
    /// <c>min(NumVotesForDeathDeclaration, (activeNonStaleSilos + 1) / 2)</c>, so a 2-silo cluster needs 1 vote
    /// (the survivor alone can declare its peer dead). Default: 2 (as Orleans).
    /// </summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How many other silos each silo probes. Default: 10 (as Orleans 9.1+).</summary>
    public int NumProbedSilos { get; set; } = 10;

    /// <summary>How long a suspicion vote counts. Default: 5 s (Orleans: 2 min with 5 s probes).</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo writes its I-am-alive time. Default: 1 s.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// I-am-alive periods a silo may miss before its row is stale (not counted when votes are counted, not
    /// waited for by joining silos). Default: 3.
    /// </summary>
    public int NumMissedIAmAliveLimit { get; set; } = 3;

    /// <summary>How often a silo re-reads the table, besides gossip after every write. Default: 1 s (Orleans: 60 s).</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows of silos that are not active and silent for this long are deleted. Default: 7 days (as Orleans).</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often defunct rows are looked for. Default: 1 hour (as Orleans).</summary>
    public TimeSpan DefunctSiloCleanupPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a joining silo keeps trying to reach every active silo before it gives up. Default: 30 s.</summary>
    public TimeSpan MaxJoinAttemptTime { get; set; } = TimeSpan.FromSeconds(30);
}
