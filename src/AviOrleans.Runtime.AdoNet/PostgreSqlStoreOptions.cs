namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Options of the PostgreSQL stores, for a multi-host cluster. The connection string may list several
/// hosts (<c>Host=a,b,c</c>); writes then go to the one that is the primary.
/// </summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The Npgsql connection string. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds the tables; created when missing. Lower-case letters, digits and underscores,
    /// starting with a letter or underscore. Default: <c>public</c>.
    /// </summary>
    public string Schema { get; set; } = "public";

    /// <summary>The cluster whose membership table the membership store serves. Default: <c>default</c>.</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>The service whose grain state the state store serves. Default: <c>default</c>.</summary>
    public string ServiceId { get; set; } = "default";

    /// <summary>
    /// How long one command may run, and how long opening a connection may take; past it the store is
    /// reported unavailable. Whole seconds (PostgreSQL's protocol counts seconds). Default: 5 seconds.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{nameof(ConnectionString)} is required.");
        }
        else
        {
            try
            {
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    errors.Add($"{nameof(ConnectionString)} must name a host.");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{nameof(ConnectionString)} is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (!Internal.OptionChecks.IsPlainIdentifier(Schema))
        {
            errors.Add($"{nameof(Schema)} must be a plain lower-case identifier of at most 63 characters, got '{Schema}'.");
        }

        Internal.OptionChecks.CheckId(errors, nameof(ClusterId), ClusterId);
        Internal.OptionChecks.CheckId(errors, nameof(ServiceId), ServiceId);
        Internal.OptionChecks.CheckTimeout(errors, nameof(CommandTimeout), CommandTimeout);
        if (CommandTimeout > TimeSpan.Zero && CommandTimeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"{nameof(CommandTimeout)} must be whole seconds, got {CommandTimeout}.");
        }

        Internal.OptionChecks.ThrowIfAny(errors, nameof(PostgreSqlStoreOptions));
    }
}
