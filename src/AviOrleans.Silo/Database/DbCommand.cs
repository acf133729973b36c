using System.CommandLine;
using AviOrleans.Persistence;

namespace AviOrleans.Silo.Database;

/// <summary>
/// <c>aviorleans-silo db migrate|check</c>: creates or upgrades the store's schema (what every silo also does at
/// start), or checks it without changing anything, for a store given by <c>--postgres CONNSTR</c> (with
/// <c>--schema</c>) or <c>--data-dir DIR</c> (SQLite). Exit codes: 0 done, 1 the store failed (one line naming the
/// cause), 2 the arguments are invalid.
/// </summary>
internal static class DbCommand
{
    public static Command Build()
    {
        var command = new Command("db", "Create, upgrade or check the database schema of the cluster's store.");
        command.Subcommands.Add(Build("migrate", "Create or upgrade the schema (idempotent; safe while silos start or run).", migrate: true));
        command.Subcommands.Add(Build("check", "Check that the schema is there and current, changing nothing.", migrate: false));
        return command;
    }

    private static Command Build(string name, string description, bool migrate)
    {
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string of the PostgreSQL store (Host=...;Username=...;Database=...)." };
        var schema = new Option<string>("--schema") { Description = "PostgreSQL schema that holds the tables.", DefaultValueFactory = _ => "public" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data folder of the SQLite store (the embedded default)." };
        var command = new Command(name, description) { postgres, schema, dataDir };
        command.SetAction(async (result, cancellationToken) => await RunAsync(
            result.GetValue(postgres),
            result.GetValue(schema) ?? "public",
            result.GetValue(dataDir),
            migrate,
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string? postgres, string schema, string? dataDir, bool migrate, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if ((postgres is null) == (dataDir is null))
        {
            await error.WriteLineAsync("give exactly one of --postgres CONNSTR or --data-dir DIR");
            return 2;
        }

        var options = new StoreOptions();
        if (postgres is not null)
        {
            options.UsePostgreSql(postgres).PostgreSql.Schema = schema;
        }
        else
        {
            options.UseSqlite(dataDir!);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }

        try
        {
            var migration = migrate
                ? await StoreMigrator.MigrateAsync(options, cancellationToken)
                : await StoreMigrator.CheckAsync(options, cancellationToken);
            await output.WriteLineAsync(migration.Changed
                ? $"{migration.Store}: schema migrated from version {migration.FromVersion} to {migration.ToVersion}"
                : $"{migration.Store}: schema is current (version {migration.ToVersion})");
            return 0;
        }
        catch (StoreException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
