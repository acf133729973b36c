using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence;

/// <summary>
/// Creates or upgrades a store's schema outside a silo: what <c>aviorleans-silo db migrate</c> runs, for example with
/// an owner's connection string when the silos' role may not change the schema. Idempotent, and safe while silos
/// of this version run or start against the same database.
/// </summary>
public static class StoreMigrator
{
    /// <summary>
    /// Migrates the store <paramref name="options"/> name to the schema this build needs; throws
    /// <see cref="ArgumentException"/> for invalid options and a <see cref="StoreException"/> naming the cause when
    /// the store cannot be migrated (unreachable, refused, or holding a foreign or newer schema).
    /// </summary>
    public static async Task<StoreMigration> MigrateAsync(StoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var databases = new StoreDatabases();
        await using (databases.ConfigureAwait(false))
        {
            var database = databases.Get(options).Database;
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return new StoreMigration(database.Description, database.MigratedFromVersion ?? database.LatestVersion, database.LatestVersion);
        }
    }

    /// <summary>
    /// Checks, without changing anything, that the store holds the schema this build needs; throws
    /// <see cref="StoreSchemaException"/> when it does not, and other <see cref="StoreException"/>s when it cannot be read.
    /// </summary>
    /// <returns>The store and its (current) version, as a migration that changed nothing.</returns>
    public static async Task<StoreMigration> CheckAsync(StoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var databases = new StoreDatabases();
        await using (databases.ConfigureAwait(false))
        {
            var database = databases.Get(options).Database;
            await database.CheckSchemaAsync(cancellationToken).ConfigureAwait(false);
            return new StoreMigration(database.Description, database.LatestVersion, database.LatestVersion);
        }
    }
}
