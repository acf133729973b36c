using AviOrleans.Runtime;
using AviOrleans.Runtime.Hosting;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Testing;

/// <summary>
/// Several silos in one process, each on its own loopback port, sharing one membership table and one state
/// store, plus a client that uses every silo as a gateway (in the spirit of Orleans' InProcessTestCluster, but
/// over real TCP so that kills and partitions are real to the runtime).
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly TestClusterOptions _options;
    private readonly Lock _lock = new();
    private readonly List<Silo> _silos = [];
    private readonly List<ClusterClient> _clients = [];
    private int _nextSiloNumber;

    private TestCluster(TestClusterOptions options)
    {
        _options = options;
        MembershipTable = options.MembershipTable ?? new InMemoryMembershipTable();
        StateStore = options.StateStore ?? new InMemoryGrainStateStore();
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>The shared membership table.</summary>
    public IMembershipTable MembershipTable { get; }

    /// <summary>The shared grain state store.</summary>
    public IGrainStateStore StateStore { get; }

    /// <summary>The cluster's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The options the cluster was built with.</summary>
    public TestClusterOptions Options => _options;

    /// <summary>The silos that are running.</summary>
    public IReadOnlyList<Silo> Silos
    {
        get
        {
            lock (_lock)
            {
                return [.. _silos.Where(s => s.IsRunning)];
            }
        }
    }

    /// <summary>A client connected through the silos' gateways (created on start).</summary>
    public ClusterClient Client { get; private set; } = null!;

    /// <summary>Starts <see cref="TestClusterOptions.InitialSilosCount"/> silos and a client.</summary>
    public static async Task<TestCluster> StartAsync(TestClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InitialSilosCount, 1);
        var cluster = new TestCluster(options);
        try
        {
            for (var i = 0; i < options.InitialSilosCount; i++)
            {
                await cluster.StartAdditionalSiloAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            // As Orleans' DeployAsync: hand the cluster over once every silo sees every other one, so the first
            // calls are not placed on a view that is about to change.
            await cluster.WaitForLivenessToStabilizeAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            cluster.Client = await cluster.CreateClientAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates silo options as the cluster would (name, id, key, contracts, the configure hook).</summary>
    public SiloOptions CreateSiloOptions(string name)
    {
        var options = new SiloOptions { SiloName = name, ClusterId = _options.ClusterId, ClusterKey = _options.ClusterKey };
        foreach (var context in _options.SerializerContexts)
        {
            options.SerializerContexts.Add(context);
        }

        _options.ConfigureSilo?.Invoke(options);
        return options;
    }

    /// <summary>Starts one more silo (named <c>silo-N</c> unless <paramref name="name"/> is given).</summary>
    public Task<Silo> StartAdditionalSiloAsync(string? name = null, CancellationToken cancellationToken = default) =>
        StartSiloAsync(name ?? "silo-" + Interlocked.Increment(ref _nextSiloNumber).ToString(System.Globalization.CultureInfo.InvariantCulture), null, cancellationToken);

    /// <summary>
    /// Kills a silo and starts a new incarnation with the same name on the same endpoint (a new generation), as a
    /// host does that restarts a crashed process; the killed incarnation's row is left as the crash left it.
    /// </summary>
    public async Task<Silo> KillAndRestartOnSameEndpointAsync(Silo silo, CancellationToken cancellationToken = default)
    {
        EnsureMember(silo);
        var endpoint = silo.Address.Endpoint;
        await silo.KillAsync().ConfigureAwait(false);
        return await StartSiloAsync(silo.Name, endpoint, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Silo> StartSiloAsync(string name, System.Net.IPEndPoint? endpoint, CancellationToken cancellationToken)
    {
        var options = CreateSiloOptions(name);
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
        }

        var silo = new Silo(options, MembershipTable, StateStore, _options.Grains, TimeProvider, loggerFactory: _options.LoggerFactory);
        lock (_lock)
        {
            _silos.Add(silo);
        }

        await silo.StartAsync(cancellationToken).ConfigureAwait(false);
        return silo;
    }

    /// <summary>Creates and connects a client that uses every running silo as a gateway.</summary>
    public async Task<ClusterClient> CreateClientAsync(byte[]? clusterKey = null, TimeSpan? responseTimeout = null, CancellationToken cancellationToken = default)
    {
        var options = new ClusterClientOptions
        {
            ClusterId = _options.ClusterId,
            ClusterKey = clusterKey ?? _options.ClusterKey,
            ResponseTimeout = responseTimeout ?? _options.ClientResponseTimeout,
        };
        foreach (var silo in Silos)
        {
            options.Gateways.Add(silo.Address.Endpoint);
        }

        foreach (var context in _options.SerializerContexts)
        {
            options.SerializerContexts.Add(context);
        }

        var client = new ClusterClient(options, TimeProvider);
        lock (_lock)
        {
            _clients.Add(client);
        }

        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>Stops a silo gracefully (its grains deactivate and persist).</summary>
    public Task StopSiloAsync(Silo silo, CancellationToken cancellationToken = default)
    {
        EnsureMember(silo);
        return silo.StopAsync(cancellationToken);
    }

    /// <summary>Kills a silo abruptly: no goodbye, its connections reset, its row left Active for the others to notice.</summary>
    public Task KillSiloAsync(Silo silo)
    {
        EnsureMember(silo);
        return silo.KillAsync();
    }

    /// <summary>Stops a silo gracefully and starts a new one with the same name (a new generation).</summary>
    public async Task<Silo> RestartSiloAsync(Silo silo, CancellationToken cancellationToken = default)
    {
        EnsureMember(silo);
        await silo.StopAsync(cancellationToken).ConfigureAwait(false);
        return await StartAdditionalSiloAsync(silo.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every running silo sees exactly the running silos as Active and every other silo it knows as
    /// not Active (a killed silo declared dead). Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForLivenessToStabilizeAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var running = Silos;
                var expected = running.Select(s => s.Address).ToHashSet();
                var stable = running.All(s => s.Membership.Current.ActiveSilos.ToHashSet().SetEquals(expected));
                if (stable)
                {
                    return;
                }

                await Task.Delay(20, cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var views = string.Join("; ", Silos.Select(s => $"{s.Name}: {s.Membership.Current}"));
            throw new TimeoutException($"Membership did not stabilize within {timeout}: {views}");
        }
    }

    /// <summary>The status of <paramref name="silo"/> in <paramref name="observer"/>'s view.</summary>
    public static SiloStatus StatusIn(Silo observer, Silo silo)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(silo);
        return observer.Membership.Current.GetStatus(silo.Address);
    }

    /// <summary>The running silo that holds an activation of <paramref name="grainId"/>, or null.</summary>
    public Silo? FindActivation(GrainId grainId) => Silos.FirstOrDefault(s => s.HasActivation(grainId));

    private void EnsureMember(Silo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        lock (_lock)
        {
            if (!_silos.Contains(silo))
            {
                throw new ArgumentException($"Silo {silo.Name} is not part of this test cluster.", nameof(silo));
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        List<ClusterClient> clients;
        List<Silo> silos;
        lock (_lock)
        {
            clients = [.. _clients];
            silos = [.. _silos];
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var silo in silos)
        {
            await silo.DisposeAsync().ConfigureAwait(false);
        }
    }
}
