using System.Text.RegularExpressions;
using AviOrleans.Gateway;
using AviOrleans.Silo.Hosting;
using AviOrleans.Silo.Run;
using Orleans.Hosting;

namespace AviOrleans.Silo.Tests;

/// <summary>
/// <c>aviorleans-silo</c> (or <c>aviorleans-silo gateway</c>) run in the test process through the command's own
/// runner: real Orleans silos and clients on loopback TCP, stopped through the command's cancellation token.
/// </summary>
internal sealed partial class InProcessSilo : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource<IServiceProvider> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private InProcessSilo(SiloRunOptions options, bool gatewayOnly, Action<ISiloBuilder>? configureSilo)
    {
        Options = options;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Run = gatewayOnly
            ? Task.Run(() => GatewayRunner.RunAsync(options, Output, Error, _started.SetResult, _stop.Token))
            : Task.Run(() => SiloRunner.RunAsync(options, Output, Error, configureSilo, _started.SetResult, _stop.Token));
    }

    public SiloRunOptions Options { get; }

    public SynchronizedWriter Output { get; } = new();

    public SynchronizedWriter Error { get; } = new();

    /// <summary>The command's exit code, once it has returned.</summary>
    public Task<int> Run { get; }

    /// <summary>
    /// A silo named <paramref name="name"/> on free loopback ports, its cluster's store a SQLite file in a data folder
    /// of this test run.
    /// </summary>
    /// <param name="name">The silo's name.</param>
    /// <param name="peer">A silo of the cluster to join (same id, same store); null starts a new cluster.</param>
    /// <param name="gateway">Whether to co-host the avi.v1 gateway (on a free port).</param>
    public static SiloRunOptions SiloOptions(string name, InProcessSilo? peer = null, bool gateway = true)
    {
        var options = new SiloRunOptions
        {
            // Orleans' own failure-detection timing: these tests are about start, health, TLS and stop, and share the
            // machine with every other test project; 200 ms probes would turn a starved test process into false deaths.
            // The shipped fast profile is exercised by real processes (SiloProcessTests) and measured in bench/.
            Silo = new SiloHostOptions { SiloName = name, SiloPort = Ports.Free(), GatewayPort = Ports.Free(), Membership = MembershipProfile.OrleansDefault },
            Gateway = gateway ? new GatewayOptions { Port = 0 } : null,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
        };
        if (peer is null)
        {
            options.Cluster.ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
            options.Cluster.Store.UseSqlite(TestData.Folder(options.Cluster.ClusterId));
        }
        else
        {
            // The cluster's id and store; TLS stays the caller's to set.
            options.Cluster.ClusterId = peer.Options.Cluster.ClusterId;
            peer.Options.Cluster.Store.CopyTo(options.Cluster.Store);
        }

        return options;
    }

    public static InProcessSilo Start(SiloRunOptions options, Action<ISiloBuilder>? configureSilo = null) => new(options, gatewayOnly: false, configureSilo);

    public static InProcessSilo StartGateway(SiloRunOptions options) => new(options, gatewayOnly: true, configureSilo: null);

    /// <summary>The host's services once the silo is Active (or the client connected); fails if the command ends first.</summary>
    public async Task<IServiceProvider> StartedAsync()
    {
        var first = await Task.WhenAny(_started.Task, Run).WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.True(first == _started.Task, $"the command ended early ({(Run.IsCompletedSuccessfully ? Run.Result : -1)}): {Output} {Error}");
        return await _started.Task;
    }

    /// <summary>The co-hosted gateway's address, read from the command's output once it listens.</summary>
    public async Task<Uri> GatewayAddressAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Bound);
        while (ListeningOn().Match(Output.ToString()) is not { Success: true } match)
        {
            Assert.False(Run.IsCompleted, "the command ended early: " + Output + Error);
            await Task.Delay(20, timeout.Token);
        }

        return new Uri(ListeningOn().Match(Output.ToString()).Groups["address"].Value);
    }

    /// <summary>Asks the command to stop (as Ctrl+C does) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run.WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await _stop.CancelAsync();
            await Run.WaitAsync(Bound, CancellationToken.None);
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"gateway listening on (?<address>http\S+/) ")]
    private static partial Regex ListeningOn();
}
