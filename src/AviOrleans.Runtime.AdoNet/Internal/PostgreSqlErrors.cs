using System.Net.Sockets;
using Npgsql;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>Which Npgsql failures mean "the store cannot be reached" rather than a bug in a statement.</summary>
internal static class PostgreSqlErrors
{
    /// <summary>
    /// True for a failure to connect, a connection lost or killed (57P01 admin_shutdown after
    /// <c>pg_terminate_backend</c>), a timeout, a server that is starting, stopping or out of connections
    /// (SQLSTATE classes 08, 53, 57, 58), and a transaction the server aborted to break a deadlock or a
    /// serialization failure (40001, 40P01): nothing was written and a later call may succeed.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("58", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,

        // Not an error the server sent: the connection could not be made, broke, or timed out.
        NpgsqlException => true,
        TimeoutException or IOException or SocketException => true,
        _ => false,
    };
}
