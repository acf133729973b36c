using AviOrleans.Runtime.Internal;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using AviOrleans.Runtime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AviOrleans.Runtime.Hosting;

/// <summary>
/// A silo: a member of the cluster that hosts grain activations, serves calls from other silos and from clients
/// (it is also their gateway), and takes part in membership. Start it once; a restart is a new silo (a new
/// generation, so a dead identity never comes back).
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private readonly SiloRuntime _runtime;

    /// <summary>Creates a silo; invalid options throw <see cref="OptionsValidationException"/> and nothing starts.</summary>
    /// <param name="options">The silo's configuration.</param>
    /// <param name="membershipTable">The cluster's membership table (shared by all its silos).</param>
    /// <param name="stateStore">Where grain state is persisted.</param>
    /// <param name="grains">The grain classes this silo can activate.</param>
    /// <param name="timeProvider">The clock. Default: the system clock.</param>
    /// <param name="transport">The network. Default: TCP.</param>
    /// <param name="loggerFactory">Logging. Default: none.</param>
    public Silo(
        SiloOptions options,
        IMembershipTable membershipTable,
        IGrainStateStore stateStore,
        GrainRegistrations grains,
        TimeProvider? timeProvider = null,
        ITransport? transport = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(membershipTable);
        ArgumentNullException.ThrowIfNull(stateStore);
        ArgumentNullException.ThrowIfNull(grains);
        var validation = new SiloOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(SiloOptions), typeof(SiloOptions), validation.Failures);
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("AviOrleans.Runtime.Silo");
        _runtime = new SiloRuntime(options, membershipTable, stateStore, grains, timeProvider ?? TimeProvider.System, transport ?? TcpTransport.Instance, logger);
    }

    /// <summary>The silo's name.</summary>
    public string Name => _runtime.SiloName;

    /// <summary>The silo's identity (endpoint and generation); set once <see cref="StartAsync"/> has bound the endpoint.</summary>
    public SiloAddress Address => _runtime.SiloAddress;

    /// <summary>Gets grain references whose calls start from this silo.</summary>
    public IGrainFactory GrainFactory => _runtime;

    /// <summary>This silo's membership view.</summary>
    public IClusterMembershipView Membership => _runtime.View;

    /// <summary>Completes when the silo has stopped, for whatever reason (see <see cref="StopReason"/>).</summary>
    public Task Terminated => _runtime.Terminated;

    /// <summary>Why the silo stopped, or null while it runs.</summary>
    public string? StopReason => _runtime.StopReason;

    /// <summary>Whether the silo is running.</summary>
    public bool IsRunning => _runtime.IsRunning;

    /// <summary>How many activations the silo holds.</summary>
    public int ActivationCount => _runtime.Catalog.Count;

    /// <summary>Test fault: while true the silo ignores probes (as if partitioned) but otherwise keeps working.</summary>
    public bool SuspendProbeResponses
    {
        get => _runtime.SuspendProbeResponses;
        set => _runtime.SuspendProbeResponses = value;
    }

    /// <summary>Binds the endpoint, joins the cluster (Joining, connectivity check, Active) and starts failure detection.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _runtime.StartAsync(cancellationToken);

    /// <summary>Stops gracefully: ShuttingDown, every activation deactivates (and persists), Dead, close.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _runtime.StopAsync(cancellationToken);

    /// <summary>Stops abruptly as a crash would: no table write, no deactivation, connections reset.</summary>
    public Task KillAsync()
    {
        _runtime.Kill("killed");
        return _runtime.Terminated;
    }

    /// <summary>Whether grain <paramref name="grainId"/> has an activation on this silo.</summary>
    public bool HasActivation(GrainId grainId) => _runtime.Catalog.TryGet(grainId, out _);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_runtime.IsRunning)
        {
            await KillAsync().ConfigureAwait(false);
        }

        _runtime.Dispose();
    }
}
