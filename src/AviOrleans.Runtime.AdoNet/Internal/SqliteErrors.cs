using Microsoft.Data.Sqlite;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>Which SQLite failures mean "the store cannot be reached" (see https://sqlite.org/rescode.html).</summary>
internal static class SqliteErrors
{
    private const int SQLITE_PERM = 3;
    private const int SQLITE_BUSY = 5;
    private const int SQLITE_LOCKED = 6;
    private const int SQLITE_READONLY = 8;
    private const int SQLITE_IOERR = 10;
    private const int SQLITE_FULL = 13;
    private const int SQLITE_CANTOPEN = 14;
    private const int SQLITE_PROTOCOL = 15;
    private const int SQLITE_AUTH = 23;
    private const int SQLITE_NOTADB = 26;

    /// <summary>The primary code of a constraint violation (a duplicate key).</summary>
    public const int SQLITE_CONSTRAINT = 19;

    /// <summary>
    /// True for a file that cannot be opened, read or written, a lock held too long by someone else, and a full
    /// or read-only disk: conditions outside the store's data that a later call may not meet.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is SQLITE_PERM or SQLITE_BUSY or SQLITE_LOCKED or SQLITE_READONLY
            or SQLITE_IOERR or SQLITE_FULL or SQLITE_CANTOPEN or SQLITE_PROTOCOL or SQLITE_AUTH or SQLITE_NOTADB,
        IOException or UnauthorizedAccessException => true,
        _ => false,
    };
}
