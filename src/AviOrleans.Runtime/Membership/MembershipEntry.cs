namespace AviOrleans.Runtime.Membership;

/// <summary>One row of the membership table: what the cluster knows about one silo incarnation.</summary>
public sealed record MembershipEntry
{
    /// <summary>The silo's identity.</summary>
    public required SiloAddress Silo { get; init; }

    /// <summary>The silo's configured name (for people; pinned placement uses it).</summary>
    public required string SiloName { get; init; }

    /// <summary>The host the silo runs on.</summary>
    public required string HostName { get; init; }

    /// <summary>The silo's status.</summary>
    public required SiloStatus Status { get; init; }

    /// <summary>The port clients use to reach this silo's gateway, or 0 when it has none.</summary>
    public int ProxyPort { get; init; }

    /// <summary>When the silo started (UTC).</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>The last time the silo wrote that it is alive (UTC).</summary>
    public required DateTimeOffset IAmAliveTime { get; init; }

    /// <summary>Votes that this silo is dead. Old votes expire; see the membership options.</summary>
    public IReadOnlyList<SuspectVote> SuspectTimes { get; init; } = [];

    /// <summary>The effective liveness time: the later of <see cref="StartTime"/> and <see cref="IAmAliveTime"/>.</summary>
    public DateTimeOffset EffectiveIAmAliveTime => StartTime > IAmAliveTime ? StartTime : IAmAliveTime;
}
