using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence;

/// <summary>
/// Where a silo keeps its cluster membership, grain state, reminders and fencing leases (and where a client finds
/// the cluster's gateways): SQLite under a data folder (the default) or PostgreSQL. Used by
/// <c>UseAviStore</c> on the silo and client builders.
/// </summary>
public sealed class StoreOptions
{
    /// <summary>The grain storage provider name the HA grains use. Default: <c>ha</c>.</summary>
    public const string DefaultGrainStorageName = "ha";

    /// <summary>Which database. Default: <see cref="StoreKind.Sqlite"/>.</summary>
    public StoreKind Kind { get; set; } = StoreKind.Sqlite;

    /// <summary>The SQLite options, used when <see cref="Kind"/> is <see cref="StoreKind.Sqlite"/>.</summary>
    public SqliteStoreOptions Sqlite { get; set; } = new();

    /// <summary>The PostgreSQL options, used when <see cref="Kind"/> is <see cref="StoreKind.PostgreSql"/>.</summary>
    public PostgreSqlStoreOptions PostgreSql { get; set; } = new();

    /// <summary>The name of the grain storage provider registered on silos. Default: <see cref="DefaultGrainStorageName"/>.</summary>
    public string GrainStorageName { get; set; } = DefaultGrainStorageName;

    /// <summary>Whether silos also get Orleans' reminder service on the store. Default: true.</summary>
    public bool UseReminders { get; set; } = true;

    /// <summary>Sets <see cref="Kind"/> to SQLite with its database file under <paramref name="dataDirectory"/>.</summary>
    public StoreOptions UseSqlite(string dataDirectory)
    {
        Kind = StoreKind.Sqlite;
        Sqlite.DataDirectory = dataDirectory;
        return this;
    }

    /// <summary>Sets <see cref="Kind"/> to PostgreSQL with <paramref name="connectionString"/>.</summary>
    public StoreOptions UsePostgreSql(string connectionString)
    {
        Kind = StoreKind.PostgreSql;
        PostgreSql.ConnectionString = connectionString;
        return this;
    }

    /// <summary>Copies every value into <paramref name="target"/> (the options pattern configures an instance it owns).</summary>
    public void CopyTo(StoreOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Kind = Kind;
        target.GrainStorageName = GrainStorageName;
        target.UseReminders = UseReminders;
        target.Sqlite = new SqliteStoreOptions
        {
            DataDirectory = Sqlite.DataDirectory,
            FileName = Sqlite.FileName,
            CommandTimeout = Sqlite.CommandTimeout,
            FlushEveryCommit = Sqlite.FlushEveryCommit,
            MigrateOnStart = Sqlite.MigrateOnStart,
        };
        target.PostgreSql = new PostgreSqlStoreOptions
        {
            ConnectionString = PostgreSql.ConnectionString,
            Schema = PostgreSql.Schema,
            CommandTimeout = PostgreSql.CommandTimeout,
            MigrateOnStart = PostgreSql.MigrateOnStart,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(OptionChecks.Check(this), nameof(StoreOptions));
}
