using System.Text.RegularExpressions;
using AviOrleans.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using AviOrleans.Silo.Serve;

namespace AviOrleans.Silo.Tests;

public sealed partial class ServeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_WithConfig_ServesItsPlacementsUntilStopped()
    {
        using var silo = new TempSilo();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var output = new SynchronizedWriter();
        using var error = new StringWriter();
        var run = ServeCommand.RunAsync(RepositoryFiles.Path("examples/legacy-pair.json"), "127.0.0.1:0", null, null, null, silo.Options, output, error, stop.Token);

        var address = await AddressAsync(output, run);
        using var channel = GrpcChannel.ForAddress(address);
        var placement = await new HaService.HaServiceClient(channel).GetVirtualServicePlacementAsync(new() { VirtualServiceRef = "vs1" }, cancellationToken: Ct);
        await stop.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(PlacementState.Placed, placement.State);
        Assert.Equal("edge-pair", placement.SeGroupRef);
        Assert.Equal(0, code);
        Assert.Contains("gateway stopped.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_TokenFile_RequiresToken()
    {
        var tokens = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(tokens, ["# role name token", "admin ops s3cret-admin"], Ct);
            using var silo = new TempSilo();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var output = new SynchronizedWriter();
            var run = ServeCommand.RunAsync(null, "127.0.0.1:0", null, null, tokens, silo.Options, output, TextWriter.Null, stop.Token);
            var address = await AddressAsync(output, run);

            using var channel = GrpcChannel.ForAddress(address);
            var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);
            var refused = await Assert.ThrowsAsync<RpcException>(() => groups.ListServiceEngineGroupsAsync(new(), cancellationToken: Ct).ResponseAsync);
            var list = await groups.ListServiceEngineGroupsAsync(new(), Bearer("s3cret-admin"), cancellationToken: Ct);

            // The file is read again when it changes: a new token works and the one it replaced no longer does.
            await File.WriteAllLinesAsync(tokens, ["reader grafana s3cret-reader"], Ct);
            await UntilAcceptedAsync(() => groups.ListServiceEngineGroupsAsync(new(), Bearer("s3cret-reader"), cancellationToken: Ct).ResponseAsync);
            var revoked = await Assert.ThrowsAsync<RpcException>(() => groups.ListServiceEngineGroupsAsync(new(), Bearer("s3cret-admin"), cancellationToken: Ct).ResponseAsync);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Equal(0, list.TotalSize);
            Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        }
        finally
        {
            File.Delete(tokens);
        }
    }

    [Theory]
    [InlineData("0.0.0.0:0", null, "without bearer tokens")]
    [InlineData("nonsense", null, "is not ADDRESS:PORT")]
    [InlineData("127.0.0.1:0", "examples/invalid.json", "is invalid")]
    public async Task Serve_BadOptions_ExitsTwoWithReason(string listen, string? config, string reason)
    {
        using var silo = new TempSilo();
        using var error = new StringWriter();

        var code = await ServeCommand.RunAsync(config is null ? null : RepositoryFiles.Path(config), listen, null, null, null, silo.Options, TextWriter.Null, error, Ct)
            .WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(2, code);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    // The gateway polls the token file: retry, bounded, until the change has been applied.
    private static async Task UntilAcceptedAsync(Func<Task> call)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
    }

    internal static async Task<Uri> AddressAsync(SynchronizedWriter output, Task<int> run)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (ListeningOn().Match(output.ToString()) is not { Success: true } match)
        {
            Assert.False(run.IsCompleted, "serve ended early: " + output);
            await Task.Delay(20, timeout.Token);
        }

        return new Uri(ListeningOn().Match(output.ToString()).Groups["address"].Value);
    }

    [GeneratedRegex(@"gateway listening on (?<address>http\S+/) ")]
    private static partial Regex ListeningOn();

    /// <summary>A StringWriter that the server task and the test may use at the same time.</summary>
    internal sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return base.ToString();
            }
        }
    }
}
