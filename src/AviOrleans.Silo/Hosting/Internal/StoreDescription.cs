using AviOrleans.Persistence;
using Npgsql;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>The store in the words of the start line: the SQLite file, or the PostgreSQL server, database and schema (never credentials).</summary>
internal static class StoreDescription
{
    public static string Of(StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Kind != StoreKind.PostgreSql)
        {
            return "SQLite " + store.Sqlite.DatabasePath;
        }

        // Validated before the host starts; Npgsql's default database is the user's name.
        var server = new NpgsqlConnectionStringBuilder(store.PostgreSql.ConnectionString);
        return $"PostgreSQL {server.Host}:{server.Port}/{server.Database ?? server.Username} (schema {store.PostgreSql.Schema})";
    }
}
