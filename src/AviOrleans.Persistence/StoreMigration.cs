namespace AviOrleans.Persistence;

/// <summary>What a migration did to one store.</summary>
/// <param name="Store">Where the store is (a file path, or host, port, database and schema; never credentials).</param>
/// <param name="FromVersion">The schema version before (0: the database held no AviOrleans schema).</param>
/// <param name="ToVersion">The schema version after: the one this build needs.</param>
public sealed record StoreMigration(string Store, int FromVersion, int ToVersion)
{
    /// <summary>True when the migration applied at least one step.</summary>
    public bool Changed => FromVersion != ToVersion;
}
