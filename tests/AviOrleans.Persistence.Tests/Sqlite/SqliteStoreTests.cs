using AviOrleans.Persistence.Internal;
using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Support;
using Microsoft.Data.Sqlite;
using Orleans;

namespace AviOrleans.Persistence.Tests.Sqlite;

/// <summary>
/// What only the SQLite store does: the file and its folder, WAL, migrations by several processes at once, and
/// files or folders that cannot be used (each failing with one clear, typed error and changing nothing).
/// </summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly SqliteFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    private static StoreOptions Store(SqliteStoreOptions sqlite) => new() { Kind = StoreKind.Sqlite, Sqlite = sqlite };

    [Fact]
    public async Task Migrate_ManyStartingAtOnceThenAgain_AppliesEachStepOnce()
    {
        var options = _folder.Options();

        var migrations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => StoreMigrator.MigrateAsync(Store(options), Ct), Ct)))
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var again = await StoreMigrator.MigrateAsync(Store(options), Ct);

        Assert.Single(migrations, m => m.Changed);
        Assert.All(migrations, m => Assert.Equal(SqliteSchema.LatestVersion, m.ToVersion));
        Assert.False(again.Changed);
        Assert.Equal((long)SqliteSchema.Steps.Count, await ScalarAsync(options.DatabasePath, "SELECT count(*) FROM avi_persistence_schema;"));
        Assert.Equal((long)SqliteSchema.Steps.SelectMany(s => s.Queries.Keys).Distinct().Count(), await ScalarAsync(options.DatabasePath, "SELECT count(*) FROM OrleansQuery;"));
        Assert.Equal("wal", await ScalarAsync(options.DatabasePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task DataDirectory_Missing_IsCreatedWithTheFile()
    {
        var options = _folder.Options();
        options.DataDirectory = Path.Combine(_folder.Path, "nested", "data");

        var migration = await StoreMigrator.MigrateAsync(Store(options), Ct);

        Assert.True(File.Exists(Path.Combine(options.DataDirectory, "aviorleans.db")));
        Assert.Equal((0, SqliteSchema.LatestVersion), (migration.FromVersion, migration.ToVersion));
        Assert.Contains(options.DatabasePath, migration.Store, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirectory_UnderARegularFile_FailsWithAConfigurationErrorNamingTheFolder()
    {
        // A path through a regular file cannot be a folder even for root (unlike a chmod'ed folder).
        var blocker = Path.Combine(_folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x", Ct);
        var options = _folder.Options();
        options.DataDirectory = Path.Combine(blocker, "data");

        var error = await Assert.ThrowsAsync<StoreConfigurationException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));

        Assert.Contains(options.DataDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a writable folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDirectory_OnAReadOnlyFileSystem_FailsWithTheSystemsReason()
    {
        await using var readOnly = await ReadOnlyMount.EmptyAsync(Path.Combine(_folder.Path, "ro"));
        var options = _folder.Options();
        options.DataDirectory = readOnly.Path;

        var error = await Assert.ThrowsAsync<StoreConfigurationException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));

        Assert.Contains(readOnly.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(readOnly.Path));
    }

    [Fact]
    public async Task Database_InAFolderMadeReadOnlyLater_FailsWithAConfigurationErrorAndIsLeftIntact()
    {
        var folder = Path.Combine(_folder.Path, "data");
        var options = _folder.Options();
        options.DataDirectory = folder;
        await StoreMigrator.MigrateAsync(Store(options), Ct);
        SqliteConnection.ClearAllPools();
        var before = await File.ReadAllBytesAsync(options.DatabasePath, Ct);
        await using var readOnly = await ReadOnlyMount.RemountAsync(folder);

        await using var leases = new SqliteLeaseStore(options, "c");
        var error = await Assert.ThrowsAsync<StoreConfigurationException>(() => leases.TryAcquireAsync("se-a", "host-1", TimeSpan.FromMinutes(1), Ct));

        Assert.Contains(options.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(options.DatabasePath, Ct));
    }

    [Fact]
    public async Task File_NotADatabase_FailsWithAConfigurationErrorAndIsLeftAlone()
    {
        var options = _folder.Options("garbage.db");
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        await File.WriteAllBytesAsync(options.DatabasePath, garbage, Ct);

        var error = await Assert.ThrowsAsync<StoreConfigurationException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));

        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Contains("file is not a database", error.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(options.DatabasePath, Ct));
    }

    [Fact]
    public async Task Check_NoDatabaseFile_FailsWithASchemaErrorAndCreatesNothing()
    {
        var options = _folder.Options("never.db");

        var error = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.CheckAsync(Store(options), Ct));

        Assert.Contains("holds no AviOrleans schema", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(options.DatabasePath));
    }

    [Fact]
    public async Task Migrate_ForeignOrleansQueryTable_FailsWithASchemaErrorAndChangesNothing()
    {
        var options = _folder.Options("foreign.db");
        await ScalarAsync(options.DatabasePath, "CREATE TABLE OrleansQuery (QueryKey TEXT PRIMARY KEY, QueryText TEXT); INSERT INTO OrleansQuery VALUES ('x', 'y');");

        var error = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));

        Assert.Contains("did not create", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync(options.DatabasePath, "SELECT count(*) FROM sqlite_master WHERE type = 'table';"));
    }

    [Fact]
    public async Task Migrate_SchemaOfANewerBuild_FailsWithASchemaErrorNamingBothVersions()
    {
        var options = _folder.Options("newer.db");
        await StoreMigrator.MigrateAsync(Store(options), Ct);
        await ScalarAsync(options.DatabasePath, $"INSERT INTO avi_persistence_schema VALUES ({SqliteSchema.LatestVersion + 1}, 'from the future', 'now');");
        SqliteConnection.ClearAllPools();

        var migrate = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));
        var check = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.CheckAsync(Store(options), Ct));

        Assert.Contains($"version {SqliteSchema.LatestVersion + 1}", migrate.Message, StringComparison.Ordinal);
        Assert.Contains("newer AviOrleans", migrate.Message, StringComparison.Ordinal);
        Assert.Equal(migrate.Message, check.Message);
    }

    [Fact]
    public async Task Call_FileLockedByAnother_ReturnsAtOnceFailsUnavailableAndWorksAfterwards()
    {
        var options = _folder.Options("locked.db", TimeSpan.FromSeconds(2));
        await using var table = OrleansServices.Silo("c", silo => silo.UseSqliteClustering(o =>
        {
            o.DataDirectory = options.DataDirectory;
            o.FileName = options.FileName;
            o.CommandTimeout = options.CommandTimeout;
        }));
        var membership = table.Get<IMembershipTable>();
        await membership.InitializeMembershipTableAsync(true, Ct);
        await using var holder = new SqliteExclusiveLock(options.DatabasePath);
        await holder.StartAsync();

        // The driver waits out the busy timeout synchronously; that wait must not happen on the caller's thread
        // (a membership timer callback held for seconds would stall every timer of the silo).
        var read = membership.ReadAllAsync(Ct);
        var returnedPending = !read.IsCompleted;
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => read.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        await holder.EndAsync();

        Assert.True(returnedPending, "the call ran the whole busy timeout on the caller's thread");
        Assert.Contains("database is locked", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Retry.UnavailableAsync(() => membership.ReadAllAsync(Ct))).Version.Version);
    }

    [Theory]
    [InlineData("", "f.db", 5)]
    [InlineData("d", "", 5)]
    [InlineData("d", "a/b.db", 5)]
    [InlineData("d", "..", 5)]
    [InlineData("d", "f.db", 0)]
    [InlineData("d", "f.db", -1)]
    public async Task Options_Invalid_FailBeforeTouchingTheDisk(string folder, string file, int timeoutSeconds)
    {
        var options = new SqliteStoreOptions
        {
            DataDirectory = folder.Length == 0 ? folder : Path.Combine(_folder.Path, folder),
            FileName = file,
            CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };

        Assert.Throws<ArgumentException>(options.Validate);
        await Assert.ThrowsAsync<ArgumentException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));
        Assert.Throws<ArgumentException>(() => new SqliteLeaseStore(options, "c"));
        Assert.False(new SqliteStoreOptionsValidator().Validate(null, options).Succeeded);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void Options_Defaults_AreValidAndNameAFileUnderTheDataFolder()
    {
        var options = new SqliteStoreOptions();

        options.Validate();

        Assert.Equal(Path.GetFullPath(Path.Combine("data", "aviorleans.db")), options.DatabasePath);
        Assert.Equal((TimeSpan.FromSeconds(5), true, true), (options.CommandTimeout, options.FlushEveryCommit, options.MigrateOnStart));
    }
}
