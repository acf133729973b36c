namespace AviOrleans.Testing.Lan.Silos;

/// <summary>How <see cref="SiloCluster.StartAsync"/> starts one silo beyond what every silo of the cluster gets.</summary>
public sealed class SiloStartOptions
{
    /// <summary>A configuration file to load (<c>--config</c>): the first silo of a cluster loads it into the store.</summary>
    public string? ConfigurationFile { get; init; }

    /// <summary>More options, after the cluster's (e.g. <c>--membership orleans-default</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Environment variables for the process.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary><c>--log-level</c>. Default: warning (the silo's default).</summary>
    public string LogLevel { get; init; } = "warning";

    /// <summary>
    /// Runs the silo as the first process of a PID namespace of its own (<c>unshare --pid --fork --mount-proc</c>), as a
    /// container's main process: <c>aviorleans-silo</c> then starts the silo as its child (see its ContainerInit), and
    /// <see cref="SiloCluster.Kill"/> kills that child. Default: false.
    /// </summary>
    public bool InPidNamespace { get; init; }

    /// <summary>How long the silo may take to become Active and serve its gateway. Default: 90 seconds (a loaded CI machine
    /// starting several silos at once).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
