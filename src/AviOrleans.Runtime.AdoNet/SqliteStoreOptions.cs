namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Options of the SQLite stores, the embedded single-host default: one database file under a data folder,
/// in WAL mode, shared by every silo and grain on the host.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The folder that holds the database file; created when missing. Default: <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The database file name inside <see cref="DataDirectory"/>. Default: <c>aviorleans.db</c>.</summary>
    public string FileName { get; set; } = "aviorleans.db";

    /// <summary>The cluster whose membership table the membership store serves. Default: <c>default</c>.</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>The service whose grain state the state store serves. Default: <c>default</c>.</summary>
    public string ServiceId { get; set; } = "default";

    /// <summary>
    /// How long one operation may take, including waiting for another connection's write lock (SQLite's
    /// busy timeout); past it the store is reported unavailable. Default: 5 seconds.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true every commit is flushed to disk before it returns (SQLite <c>synchronous = FULL</c>), so a commit
    /// survives a power loss; when false (<c>synchronous = NORMAL</c>, safe in WAL mode) a commit survives a crash
    /// of the process but the last ones may be lost on a power loss or kernel crash, in exchange for writes
    /// that are about ten times faster (see bench/results/stores.md). Default: true.
    /// </summary>
    public bool FlushEveryCommit { get; set; } = true;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add($"{nameof(DataDirectory)} must name a folder.");
        }

        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            errors.Add($"{nameof(FileName)} must be a plain file name, got '{FileName}'.");
        }

        Internal.OptionChecks.CheckId(errors, nameof(ClusterId), ClusterId);
        Internal.OptionChecks.CheckId(errors, nameof(ServiceId), ServiceId);
        Internal.OptionChecks.CheckTimeout(errors, nameof(CommandTimeout), CommandTimeout);
        Internal.OptionChecks.ThrowIfAny(errors, nameof(SqliteStoreOptions));
    }
}
