using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence;

/// <summary>
/// Options of the PostgreSQL stores, for clusters that span hosts. The connection string may list several hosts
/// (<c>Host=a,b,c</c>); everything then goes to the one that is the primary, unless the connection string says
/// otherwise with <c>Target Session Attributes</c>.
/// </summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The Npgsql connection string. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds the tables, functions and Orleans' query table; created when missing (if the role may).
    /// Lower-case letters, digits and underscores, starting with a letter or underscore. Default: <c>public</c>.
    /// </summary>
    public string Schema { get; set; } = "public";

    /// <summary>
    /// How long one command may run, and how long opening a connection may take; past it the store is reported
    /// unavailable. Whole seconds (PostgreSQL's protocol counts seconds). Default: 5 seconds.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true a silo creates or upgrades the schema at start (safe when several silos start at once); when
    /// false it only checks that the schema is there and current (for a role that may not change the schema;
    /// run <c>aviorleans-silo db migrate</c> with an owner's connection string instead). Clients never migrate.
    /// Default: true.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate() => OptionChecks.ThrowIfAny(OptionChecks.Check(this), nameof(PostgreSqlStoreOptions));
}
