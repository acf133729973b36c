using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests;

/// <summary>The lease store's location as the VIP guard gets it: text on a pipe, opened in another process.</summary>
public sealed class LeaseStoreLocationTests : IDisposable
{
    private readonly SqliteFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Of_PostgreSql_RoundTripsThroughJsonAndNamesTheStoreWithoutItsPassword()
    {
        var options = new StoreOptions().UsePostgreSql("Host=192.0.2.2;Username=avi;Password=s3cret");
        options.PostgreSql.Schema = "ha";

        var location = LeaseStoreLocation.Of(options, "prod");

        Assert.Equal(new LeaseStoreLocation(StoreKind.PostgreSql, "prod", "Host=192.0.2.2;Username=avi;Password=s3cret", "ha"), location);
        Assert.Equal(location, LeaseStoreLocation.Parse(location.ToJson()));
        Assert.DoesNotContain('\n', location.ToJson());
        Assert.DoesNotContain("s3cret", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Of_Sqlite_IsTheDatabaseFilesFullPath()
    {
        var location = LeaseStoreLocation.Of(new StoreOptions().UseSqlite(_folder.Path), "prod");

        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.Combine(_folder.Path, "aviorleans.db"), location.Database);
        Assert.Equal(location, LeaseStoreLocation.Parse(location.ToJson()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[1]")]
    [InlineData("""{"Kind":"Oracle","ClusterId":"c","Database":"d","Schema":""}""")]
    [InlineData("""{"Kind":7,"ClusterId":"c","Database":"d","Schema":""}""")]
    [InlineData("""{"Kind":"Sqlite","Database":"d","Schema":""}""")]
    [InlineData("{}")]
    public void Parse_NotALocation_FormatException(string json) =>
        Assert.Throws<FormatException>(() => LeaseStoreLocation.Parse(json));

    [Fact]
    public async Task Open_ASilosSqliteStore_ReadsTheLeasesTheSiloWrote()
    {
        await using (var silo = new SqliteLeaseStore(_folder.Options(), "prod"))
        {
            await silo.TryAcquireAsync("silo/a", "silo/a", TimeSpan.FromMinutes(1), Ct);
        }

        await using var opened = LeaseStoreLocation.Of(new StoreOptions().UseSqlite(_folder.Path), "prod").Open();
        var lease = await opened.ReadAsync("silo/a", Ct);

        Assert.Equal("silo/a", lease?.Owner);
    }

    [Fact]
    public async Task Open_StoreWithoutSchema_FailsAndCreatesNothing()
    {
        await using var opened = LeaseStoreLocation.Of(new StoreOptions().UseSqlite(_folder.Path), "prod").Open();

        await Assert.ThrowsAnyAsync<StoreException>(() => opened.ReadAsync("silo/a", Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }
}
