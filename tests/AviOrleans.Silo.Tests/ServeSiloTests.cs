using AviOrleans.Runtime.AdoNet;
using AviOrleans.Runtime.Membership;
using AviOrleans.Silo.Serve;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Tests;

public sealed class ServeSiloTests
{
    private const string HaService = "avi.v1.HaService";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_StartAndStop_HealthFollowsSiloMembership()
    {
        using var silo = new TempSilo();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var output = new ServeCommandTests.SynchronizedWriter();
        var run = ServeCommand.RunAsync(null, "127.0.0.1:0", null, null, null, silo.Options, output, TextWriter.Null, stop.Token);
        using var channel = GrpcChannel.ForAddress(await ServeCommandTests.AddressAsync(output, run));

        await using var overall = Watch(channel, string.Empty);
        await using var service = Watch(channel, HaService);
        var overallOnStart = await UntilAsync(overall, ServingStatus.Serving);
        var serviceOnStart = await UntilAsync(service, ServingStatus.Serving);
        var whileRunning = await RowsAsync(silo.DataDirectory);
        await stop.CancelAsync();
        var overallOnStop = await ToEndAsync(overall);
        var serviceOnStop = await ToEndAsync(service);
        var code = await run.WaitAsync(Bound, Ct);
        var afterStop = await RowsAsync(silo.DataDirectory);

        // Joining is NotServing (when the watch starts early enough to see it), then Serving once Active.
        Assert.All(overallOnStart[..^1], s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.All(serviceOnStart[..^1], s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.Equal(ServingStatus.NotServing, Assert.Single(overallOnStop));
        Assert.Equal(ServingStatus.NotServing, Assert.Single(serviceOnStop));
        Assert.Equal(0, code);
        Assert.Equal(SiloStatus.Active, Assert.Single(whileRunning, e => e.SiloName == "test-silo").Status);
        Assert.Equal(SiloStatus.Dead, Assert.Single(afterStop, e => e.SiloName == "test-silo").Status);
        Assert.Contains("silo test-silo stopped.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SiloDeclaredDead_NotServingAndExitsOne()
    {
        using var silo = new TempSilo();
        var output = new ServeCommandTests.SynchronizedWriter();
        using var error = new StringWriter();
        var run = ServeCommand.RunAsync(null, "127.0.0.1:0", null, null, null, silo.Options, output, error, Ct);
        using var channel = GrpcChannel.ForAddress(await ServeCommandTests.AddressAsync(output, run));
        await using var overall = Watch(channel, string.Empty);
        await UntilAsync(overall, ServingStatus.Serving);

        // What the other silos do when they vote a silo out: its row becomes Dead in the table.
        await using (var table = new SqliteMembershipTable(new SqliteStoreOptions { DataDirectory = silo.DataDirectory }))
        {
            var data = await table.ReadAllAsync(Ct);
            var row = Assert.Single(data.Entries);
            Assert.True(await table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Dead }, row.ETag, data.Version.Next(), Ct));
        }

        var afterDeath = await ToEndAsync(overall);
        var code = await run.WaitAsync(Bound, Ct);

        Assert.Equal(ServingStatus.NotServing, Assert.Single(afterDeath));
        Assert.Equal(1, code);
        Assert.Contains("declared dead", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_SecondStartOnSameDataFolder_NewGeneration()
    {
        using var silo = new TempSilo();

        await RunUntilServingAsync(silo.Options);
        var first = Assert.Single(await RowsAsync(silo.DataDirectory));
        await RunUntilServingAsync(silo.Options);
        var rows = await RowsAsync(silo.DataDirectory);

        Assert.Equal(2, rows.Count);
        var second = Assert.Single(rows, e => e.Silo != first.Silo);
        Assert.True(second.Silo.Generation > first.Silo.Generation, $"{second.Silo} is not a newer generation than {first.Silo}");
        Assert.All(rows, e => Assert.Equal(SiloStatus.Dead, e.Status));
        Assert.Equal(first.Silo.Endpoint.Address, second.Silo.Endpoint.Address);
    }

    [Fact]
    public async Task Serve_AfterACrash_DeclaresTheStaleActiveRowDeadAndJoins()
    {
        using var silo = new TempSilo();
        var port = FreeLoopbackPort();
        var options = new SiloHostOptions { DataDirectory = silo.DataDirectory, SiloName = silo.Options.SiloName, SiloPort = port };
        var now = DateTimeOffset.UtcNow;
        // The crashed incarnation: same endpoint, an older generation, its row left Active (as after a SIGKILL).
        var crashed = new SiloAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), 1);
        await using (var table = new SqliteMembershipTable(new SqliteStoreOptions { DataDirectory = silo.DataDirectory }))
        {
            await table.InitializeAsync(true, Ct);
            var data = await table.ReadAllAsync(Ct);
            var entry = new MembershipEntry { Silo = crashed, SiloName = "test-silo", HostName = "host", Status = SiloStatus.Active, StartTime = now, IAmAliveTime = now };
            Assert.True(await table.InsertRowAsync(entry, data.Version.Next(), Ct));
        }

        await RunUntilServingAsync(options);
        var rows = await RowsAsync(silo.DataDirectory);

        // The restarted silo declared its crashed incarnation Dead, reached Serving and left cleanly, as a new row.
        Assert.Equal(2, rows.Count);
        Assert.Equal(SiloStatus.Dead, Assert.Single(rows, e => e.Silo == crashed).Status);
        var restarted = Assert.Single(rows, e => e.Silo != crashed);
        Assert.Equal(crashed.Endpoint, restarted.Silo.Endpoint);
        Assert.Equal(SiloStatus.Dead, restarted.Status);
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Serve_LoopbackWithoutKeyFile_GeneratesOwnerOnlyKeyOnce()
    {
        using var silo = new TempSilo();
        var keyFile = Path.Combine(silo.DataDirectory, "cluster.key");

        await RunUntilServingAsync(silo.Options);
        var firstKey = await File.ReadAllTextAsync(keyFile, Ct);
        await RunUntilServingAsync(silo.Options);

        Assert.Equal(firstKey, await File.ReadAllTextAsync(keyFile, Ct));
        Assert.True(Convert.FromBase64String(firstKey.Trim()).Length >= 16);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Theory]
    [InlineData("192.0.2.10", null, "--cluster-key-file is required")]
    [InlineData("not-an-address", null, "is not an IP address")]
    [InlineData("127.0.0.1", "short", "at least 16 are needed")]
    [InlineData("127.0.0.1", "not base64!", "does not hold a base64 cluster key")]
    public async Task Serve_BadSiloOptions_ExitsTwoAndStartsNothing(string address, string? key, string reason)
    {
        using var silo = new TempSilo();
        string? keyFile = null;
        if (key is not null)
        {
            keyFile = Path.Combine(silo.DataDirectory, "given.key");
            await File.WriteAllTextAsync(keyFile, key == "short" ? Convert.ToBase64String(new byte[8]) : key, Ct);
        }

        using var error = new StringWriter();
        var options = new SiloHostOptions { DataDirectory = silo.DataDirectory, SiloName = "test-silo", SiloAddress = address, SiloPort = 0, ClusterKeyFile = keyFile };

        var code = await ServeCommand.RunAsync(null, "127.0.0.1:0", null, null, null, options, TextWriter.Null, error, Ct).WaitAsync(Bound, Ct);

        Assert.Equal(2, code);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(silo.DataDirectory, "aviorleans.db")));
    }

    // The call ends with the channel (or the server): the enumerator only reads it.
    private static IAsyncEnumerator<HealthCheckResponse> Watch(GrpcChannel channel, string service) =>
        new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = service }, cancellationToken: Ct)
            .ResponseStream.ReadAllAsync(Ct).GetAsyncEnumerator(Ct);

    // The statuses streamed up to and including the first `wanted`.
    private static async Task<ServingStatus[]> UntilAsync(IAsyncEnumerator<HealthCheckResponse> stream, ServingStatus wanted)
    {
        var seen = new List<ServingStatus>();
        while (seen.Count == 0 || seen[^1] != wanted)
        {
            Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct), "the watch ended early: " + string.Join(", ", seen));
            seen.Add(stream.Current.Status);
        }

        return [.. seen];
    }

    // The statuses streamed until the server ends the stream (it goes away after the silo has stopped).
    private static async Task<List<ServingStatus>> ToEndAsync(IAsyncEnumerator<HealthCheckResponse> stream)
    {
        var seen = new List<ServingStatus>();
        try
        {
            while (await stream.MoveNextAsync().AsTask().WaitAsync(Bound, Ct))
            {
                seen.Add(stream.Current.Status);
            }
        }
        catch (RpcException)
        {
            // The server closing the call under a watch is the end of the stream, not a failure.
        }

        return seen;
    }

    private static async Task RunUntilServingAsync(SiloHostOptions options)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var output = new ServeCommandTests.SynchronizedWriter();
        var run = ServeCommand.RunAsync(null, "127.0.0.1:0", null, null, null, options, output, TextWriter.Null, stop.Token);
        using (var channel = GrpcChannel.ForAddress(await ServeCommandTests.AddressAsync(output, run)))
        {
            await using var overall = Watch(channel, string.Empty);
            await UntilAsync(overall, ServingStatus.Serving);
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Bound, Ct));
    }

    private static async Task<List<MembershipEntry>> RowsAsync(string dataDirectory)
    {
        await using var table = new SqliteMembershipTable(new SqliteStoreOptions { DataDirectory = dataDirectory });
        var data = await table.ReadAllAsync(Ct);
        return [.. data.Entries.Select(r => r.Entry)];
    }
}
