using Microsoft.Data.Sqlite;

namespace AviOrleans.Persistence.Internal;

/// <summary>Which SQLite failures are store failures, and of which kind (result codes: https://sqlite.org/rescode.html).</summary>
internal static class SqliteErrors
{
    private const int SQLITE_ERROR = 1;
    private const int SQLITE_PERM = 3;
    private const int SQLITE_BUSY = 5;
    private const int SQLITE_LOCKED = 6;
    private const int SQLITE_READONLY = 8;
    private const int SQLITE_IOERR = 10;
    private const int SQLITE_CORRUPT = 11;
    private const int SQLITE_FULL = 13;
    private const int SQLITE_CANTOPEN = 14;
    private const int SQLITE_PROTOCOL = 15;
    private const int SQLITE_AUTH = 23;
    private const int SQLITE_NOTADB = 26;

    public static StoreFailure? Classify(Exception exception) => exception switch
    {
        // Another process holds the lock past the busy timeout, an I/O error, a full disk: a later call may pass.
        SqliteException { SqliteErrorCode: SQLITE_BUSY or SQLITE_LOCKED or SQLITE_IOERR or SQLITE_FULL or SQLITE_PROTOCOL } => StoreFailure.Unavailable,

        // A file or folder that cannot be opened or written (read-only, no permission, not a folder), a file that
        // is not a database or is damaged: nothing changes until someone fixes it.
        SqliteException { SqliteErrorCode: SQLITE_PERM or SQLITE_READONLY or SQLITE_CANTOPEN or SQLITE_AUTH or SQLITE_NOTADB or SQLITE_CORRUPT } => StoreFailure.Configuration,

        // "no such table" (or column): the schema is not there.
        SqliteException { SqliteErrorCode: SQLITE_ERROR } sqlite when sqlite.Message.Contains("no such", StringComparison.Ordinal) => StoreFailure.Schema,

        // Creating the data folder failed (a path through a regular file, a read-only file system, no permission).
        IOException or UnauthorizedAccessException => StoreFailure.Configuration,
        _ => null,
    };
}
