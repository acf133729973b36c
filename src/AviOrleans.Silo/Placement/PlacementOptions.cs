namespace AviOrleans.Silo.Placement;

/// <summary>What the <c>placement</c> command was asked to do.</summary>
internal sealed record PlacementOptions
{
    /// <summary>The configuration file; null builds a group from the synthetic flags.</summary>
    public string? File { get; init; }

    /// <summary>Only this group; null shows every group.</summary>
    public string? Group { get; init; }

    /// <summary>SEs to declare down after the initial placement.</summary>
    public IReadOnlyList<string> Fail { get; init; } = [];

    /// <summary>SEs to declare up again after the initial placement.</summary>
    public IReadOnlyList<string> Recover { get; init; } = [];

    /// <summary>SEs to set to SE_STATE_DISABLED after the initial placement.</summary>
    public IReadOnlyList<string> Disable { get; init; } = [];

    /// <summary>VSs to scale out.</summary>
    public IReadOnlyList<string> ScaleOut { get; init; } = [];

    /// <summary>VSs to scale in.</summary>
    public IReadOnlyList<string> ScaleIn { get; init; } = [];

    /// <summary>VSs to migrate (to an SE the algorithm chooses).</summary>
    public IReadOnlyList<string> Migrate { get; init; } = [];

    /// <summary>SEs to switch over (legacy HA).</summary>
    public IReadOnlyList<string> Switchover { get; init; } = [];

    /// <summary>Run a legacy redistribute.</summary>
    public bool Redistribute { get; init; }

    /// <summary>Seconds between the initial placement and the events (drains finish after <c>vs_scalein_timeout</c>).</summary>
    public int AfterSeconds { get; init; }

    /// <summary>Print JSON instead of tables.</summary>
    public bool Json { get; init; }

    /// <summary>Synthetic group: <c>ha_mode</c> name.</summary>
    public string HaMode { get; init; } = "HA_MODE_SHARED";

    /// <summary>Synthetic group: <c>algo</c> name.</summary>
    public string Algo { get; init; } = "PLACEMENT_ALGO_PACKED";

    /// <summary>Synthetic group: number of SEs.</summary>
    public int Ses { get; init; } = 4;

    /// <summary>Synthetic group: number of VSs.</summary>
    public int Vss { get; init; } = 8;

    /// <summary>Synthetic group: <c>max_vs_per_se</c>.</summary>
    public int MaxVsPerSe { get; init; } = 10;

    /// <summary>Synthetic group: <c>buffer_se</c>.</summary>
    public int BufferSe { get; init; } = 1;

    /// <summary>Synthetic group: <c>distribute_load_active_standby</c>.</summary>
    public bool DistributeLoad { get; init; }

    /// <summary>True when any event or request is asked for.</summary>
    public bool HasEvents =>
        Fail.Count + Recover.Count + Disable.Count + ScaleOut.Count + ScaleIn.Count + Migrate.Count + Switchover.Count > 0 || Redistribute || AfterSeconds > 0;
}
