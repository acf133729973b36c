using System.Net.Sockets;
using Npgsql;

namespace AviOrleans.Persistence.Internal;

/// <summary>Which Npgsql failures are store failures, and of which kind (SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html).</summary>
internal static class PostgreSqlErrors
{
    public static StoreFailure? Classify(Exception exception) => exception switch
    {
        PostgresException postgres => Classify(postgres),

        // Not an error the server sent: the connection could not be made, broke, or timed out.
        NpgsqlException => StoreFailure.Unavailable,
        TimeoutException or IOException or SocketException => StoreFailure.Unavailable,

        // A command cancelled by its own timeout (the caller's cancellations are filtered out before).
        OperationCanceledException => StoreFailure.Unavailable,
        _ => null,
    };

    private static StoreFailure? Classify(PostgresException postgres)
    {
        var state = postgres.SqlState;
        switch (state)
        {
            // Wrong user or password, a database that does not exist, a role without the right it needs.
            case PostgresErrorCodes.InvalidPassword:
            case PostgresErrorCodes.InvalidAuthorizationSpecification:
            case PostgresErrorCodes.InvalidCatalogName:
            case PostgresErrorCodes.InsufficientPrivilege:
                return StoreFailure.Configuration;

            // A table, function or column the queries need is missing: the schema was never migrated or was changed.
            case PostgresErrorCodes.UndefinedTable:
            case PostgresErrorCodes.UndefinedFunction:
            case PostgresErrorCodes.UndefinedColumn:
            case PostgresErrorCodes.InvalidSchemaName:
                return StoreFailure.Schema;

            // A standby answered a write (multi-host failover in progress), a deadlock or serialization failure the
            // server rolled back: nothing was written and a later call may succeed.
            case PostgresErrorCodes.ReadOnlySqlTransaction:
            case PostgresErrorCodes.SerializationFailure:
            case PostgresErrorCodes.DeadlockDetected:
                return StoreFailure.Unavailable;
        }

        // Connection exceptions (08), insufficient resources (53), operator intervention such as a shutdown or
        // pg_terminate_backend (57), system errors (58).
        return postgres.IsTransient || state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
            || state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal)
            ? StoreFailure.Unavailable
            : null;
    }
}
