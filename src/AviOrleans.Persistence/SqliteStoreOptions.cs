using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence;

/// <summary>
/// Options of the SQLite stores, the embedded single-host default: one database file under a data folder, in WAL
/// mode, shared by every silo process, grain and lease on the host.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The folder that holds the database file; created when missing. Default: <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The database file name inside <see cref="DataDirectory"/>. Default: <c>aviorleans.db</c>.</summary>
    public string FileName { get; set; } = "aviorleans.db";

    /// <summary>
    /// How long one command may take, including waiting for another process's write lock (SQLite's busy
    /// timeout); past it the store is reported unavailable. Default: 5 seconds.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true every commit is flushed to disk before it returns (SQLite <c>synchronous = FULL</c>), so a commit
    /// survives a power loss; when false (<c>synchronous = NORMAL</c>, safe in WAL mode) a commit survives a crash
    /// of the process but the last ones may be lost on a power loss or kernel crash, in exchange for writes that
    /// are many times faster (see bench/results/stores.md). Default: true.
    /// </summary>
    public bool FlushEveryCommit { get; set; } = true;

    /// <summary>
    /// When true a silo creates or upgrades the schema at start (safe when several silos start at once); when
    /// false it only checks that the schema is there and current. Clients never migrate. Default: true.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(OptionChecks.Check(this), nameof(SqliteStoreOptions));
}
