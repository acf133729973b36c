using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using Microsoft.Data.Sqlite;

namespace AviOrleans.Runtime.AdoNet.Tests.Sqlite;

/// <summary>What only the SQLite stores do: the file, its folder, WAL, migrations, and files that cannot be used.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new();

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

    [Fact]
    public async Task Migrations_ManyStoresStartingAtOnceThenAgain_ApplyEachStepOnce()
    {
        var options = _folder.Options("cluster-a");
        var stores = new List<IAsyncDisposable>();
        var starts = Enumerable.Range(0, 8).Select(i =>
        {
            var table = new SqliteMembershipTable(options);
            var state = new SqliteGrainStateStore(options);
            lock (stores)
            {
                stores.Add(table);
                stores.Add(state);
            }

            return Task.Run(async () =>
            {
                await table.InitializeAsync(true, Ct);
                await state.InitializeAsync(Ct);
            }, Ct);
        }).ToList();

        await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await using (var again = new SqliteMembershipTable(options))
        {
            await again.InitializeAsync(true, Ct);
        }

        Assert.Equal((long)SqliteMigrations.All.Count, await ScalarAsync(options.DatabasePath, "SELECT count(*) FROM avi_schema_version;"));
        Assert.Equal((long)SqliteMigrations.All[^1].Version, await ScalarAsync(options.DatabasePath, "SELECT max(version) FROM avi_schema_version;"));
        Assert.Equal("wal", await ScalarAsync(options.DatabasePath, "PRAGMA journal_mode;"));
        Assert.Equal(0, (await ((IMembershipTable)stores[0]).ReadAllAsync(Ct)).Version.Version);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task DataDirectory_Missing_IsCreatedWithTheFile()
    {
        var options = _folder.Options("svc");
        options.DataDirectory = Path.Combine(_folder.Path, "nested", "data");
        await using var store = new SqliteGrainStateStore(options);

        await store.WriteAsync("G", "k", new byte[] { 1 }, null, Ct);

        Assert.True(File.Exists(Path.Combine(options.DataDirectory, "aviorleans.db")));
        Assert.Equal(options.DatabasePath, Path.Combine(options.DataDirectory, options.FileName));
    }

    [Fact]
    public async Task DataDirectory_UnderARegularFile_EveryCallThrowsStoreUnavailable()
    {
        // A path through a regular file cannot be opened even by root (unlike a chmod'ed folder).
        var blocker = Path.Combine(_folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x", Ct);
        var options = _folder.Options("c");
        options.DataDirectory = Path.Combine(blocker, "data");
        await using var table = new SqliteMembershipTable(options);
        await using var state = new SqliteGrainStateStore(options);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => table.InitializeAsync(true, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.ReadAllAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => state.WriteAsync("G", "k", new byte[] { 1 }, null, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => state.ReadAsync("G", "k", Ct));

        Assert.NotNull(error.InnerException);
        Assert.Contains(options.DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_NotADatabase_ThrowsStoreUnavailableAndIsLeftAlone()
    {
        var options = _folder.Options("c");
        options.FileName = "garbage.db";
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        await File.WriteAllBytesAsync(options.DatabasePath, garbage, Ct);
        await using var state = new SqliteGrainStateStore(options);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => state.ReadAsync("G", "k", Ct));

        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(options.DatabasePath, Ct));
    }

    [Fact]
    public async Task Store_UnavailableAtStart_MigratesOnceTheFileIsFree()
    {
        var options = _folder.Options("svc", TimeSpan.FromSeconds(1));
        await using (var first = new SqliteGrainStateStore(options))
        {
            await first.InitializeAsync(Ct);
        }

        await using var holder = new SqliteExclusiveLock(options.DatabasePath);
        await holder.StartAsync();
        await using var store = new SqliteGrainStateStore(options);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(Ct));
        await holder.EndAsync();

        var etag = await store.WriteAsync("G", "k", new byte[] { 9 }, null, Ct);

        Assert.Equal(etag, (await store.ReadAsync("G", "k", Ct))!.ETag);
    }

    [Fact]
    public async Task Call_FileLockedByAnother_ReturnsAtOnceAndFailsLaterWithoutHoldingTheCaller()
    {
        var options = _folder.Options("c", TimeSpan.FromSeconds(2));
        await using var table = new SqliteMembershipTable(options);
        await table.InitializeAsync(true, Ct);
        await using var holder = new SqliteExclusiveLock(options.DatabasePath);
        await holder.StartAsync();

        // The driver waits out the busy timeout synchronously; the store must not do that on the caller's thread
        // (a membership timer callback held for seconds stalls every timer of the process).
        var read = table.ReadAllAsync(Ct);
        var returnedPending = !read.IsCompleted;

        await Assert.ThrowsAsync<StoreUnavailableException>(() => read.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.True(returnedPending, "the call ran the whole busy timeout on the caller's thread");
    }

    [Theory]
    [InlineData("", "f.db", "c", "s", 5)]
    [InlineData("d", "", "c", "s", 5)]
    [InlineData("d", "a/b.db", "c", "s", 5)]
    [InlineData("d", "f.db", "", "s", 5)]
    [InlineData("d", "f.db", "c", " ", 5)]
    [InlineData("d", "f.db", "c", "s", 0)]
    [InlineData("d", "f.db", "c", "s", -1)]
    public void Options_Invalid_ConstructorThrowsAndCreatesNothing(string folder, string file, string cluster, string service, int timeoutSeconds)
    {
        var options = new SqliteStoreOptions
        {
            DataDirectory = folder.Length == 0 ? folder : Path.Combine(_folder.Path, folder),
            FileName = file,
            ClusterId = cluster,
            ServiceId = service,
            CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };

        Assert.Throws<ArgumentException>(() => new SqliteMembershipTable(options));
        Assert.Throws<ArgumentException>(() => new SqliteGrainStateStore(options));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void Options_Defaults_AreValidAndNameAFileUnderTheDataFolder()
    {
        var options = new SqliteStoreOptions();

        options.Validate();

        Assert.Equal(Path.GetFullPath(Path.Combine("data", "aviorleans.db")), options.DatabasePath);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CommandTimeout);
    }
}
