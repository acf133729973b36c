namespace AviOrleans.Persistence;

/// <summary>Which database the stores use.</summary>
public enum StoreKind
{
    /// <summary>
    /// One SQLite file under a data folder: the embedded single-host default (no server; every silo process on
    /// the host shares the file).
    /// </summary>
    Sqlite = 1,

    /// <summary>A PostgreSQL database, on one or several hosts: for clusters that span hosts.</summary>
    PostgreSql = 2,
}
