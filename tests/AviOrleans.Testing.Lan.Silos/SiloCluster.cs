using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;

namespace AviOrleans.Testing.Lan.Silos;

/// <summary>
/// An AviOrleans cluster on a <see cref="VirtualLan"/>: one <c>aviorleans-silo</c> process per SE host, started in the
/// host's namespace exactly as an operator runs it there: named after the host (the SE), listening on the host's LAN
/// address with the cluster's TLS certificate, its store a PostgreSQL schema of its own reached through the LAN's
/// store node, its VIPs on the host's <c>eth0</c> (<c>--vip-interface</c>: netlink, GARP, fencing, the guard child),
/// and the avi.v1 gateway on the host's loopback. The harness talks to a host's gateway through a socket made in
/// that host's namespace (<see cref="Gateway"/>), as avictl on the SE host would. Every process is tracked by the
/// host (by PID); <see cref="DisposeAsync"/> stops them and drops the schema.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    /// <summary>The silo-to-silo port on every host.</summary>
    public const int SiloPort = 11111;

    /// <summary>The Orleans gateway port on every host (for gateway-only processes).</summary>
    public const int OrleansGatewayPort = 30000;

    /// <summary>The avi.v1 gateway's port on every host's loopback.</summary>
    public const int GatewayPort = 50051;

    private readonly Lock _lock = new();
    private readonly Dictionary<LanHost, LanProcess> _silos = [];
    private readonly Dictionary<LanHost, SiloStartOptions> _options = [];
    private readonly Dictionary<LanHost, GrpcChannel> _channels = [];
    private bool _disposed;

    private SiloCluster(VirtualLan lan, string clusterId, ClusterCertificate certificate)
    {
        Lan = lan;
        ClusterId = clusterId;
        Schema = clusterId.Replace('-', '_');
        Certificate = certificate;
    }

    /// <summary>The LAN it runs on.</summary>
    public VirtualLan Lan { get; }

    /// <summary>The cluster id (also the service id): unique per cluster, so clusters never meet in one store.</summary>
    public string ClusterId { get; }

    /// <summary>The PostgreSQL schema holding the cluster's store (membership, grain state, reminders, leases).</summary>
    public string Schema { get; }

    /// <summary>The certificate every silo presents and pins.</summary>
    public ClusterCertificate Certificate { get; }

    /// <summary>The environment variable naming the silo executable to run, e.g. the published one (scripts/test.sh sets it).</summary>
    public const string SiloVariable = "AVIORLEANS_SILO";

    /// <summary>The silo executable: <see cref="SiloVariable"/> when set, else the one built next to whatever references
    /// this library.</summary>
    public static string SiloPath =>
        Environment.GetEnvironmentVariable(SiloVariable) is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "aviorleans-silo");

    /// <summary>The silo of a host, the last one started there (exited or not), or null.</summary>
    public LanProcess? Silo(LanHost host)
    {
        lock (_lock)
        {
            return _silos.GetValueOrDefault(host);
        }
    }

    /// <summary>A cluster on <paramref name="lan"/>, which needs a store (<see cref="LanOptions.StoreConnectionString"/>).
    /// Nothing runs until <see cref="StartAsync"/>.</summary>
    public static SiloCluster Create(VirtualLan lan)
    {
        ArgumentNullException.ThrowIfNull(lan);
        if (!lan.Store.IsAvailable)
        {
            throw new LanException($"An AviOrleans cluster needs the LAN's store: set {LanOptions.PostgresVariable} (scripts/test.sh does).");
        }

        if (!File.Exists(SiloPath))
        {
            throw new LanException($"The silo {SiloPath} is missing: reference tests/AviOrleans.Testing.Lan.Silos so that it is built next to the caller, or set {SiloVariable} to a published one.");
        }

        var clusterId = "lan_" + Guid.NewGuid().ToString("N")[..12];
        return new SiloCluster(lan, clusterId, ClusterCertificate.Create(Path.Combine(lan.WorkDirectory, clusterId)));
    }

    /// <summary>The software version installed on every host (<c>--se-version</c> of every silo started from now on, the
    /// supervisor's restarts included), as an operator installs a new package before a rolling upgrade; null: the
    /// silo's own build version.</summary>
    public string? InstalledVersion { get; set; }

    /// <summary>The command line of the silo on <paramref name="host"/>: the shipped defaults plus what the host
    /// needs (its name, address, store, certificate, VIP interface), then <paramref name="options"/>' additions.</summary>
    public IReadOnlyList<string> Arguments(LanHost host, SiloStartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new SiloStartOptions();
        return
        [
            "--silo-name", host.Name,
            "--cluster-id", ClusterId, "--service-id", ClusterId,
            "--postgres", Lan.Store.ConnectionString, "--schema", Schema,
            "--silo-address", host.Address.ToString(),
            "--silo-port", SiloPort.ToString(CultureInfo.InvariantCulture),
            "--gateway-port", OrleansGatewayPort.ToString(CultureInfo.InvariantCulture),
            "--silo-tls-cert", Certificate.CertificateFile, "--silo-tls-key", Certificate.KeyFile,
            "--vip-interface", LanNode.InterfaceName,
            "--listen", $"127.0.0.1:{GatewayPort}",
            "--log-level", options.LogLevel,
            .. options.ConfigurationFile is { } file ? ["--config", file] : Array.Empty<string>(),
            .. InstalledVersion is { } version ? ["--se-version", version] : Array.Empty<string>(),
            .. options.ExtraArguments,
        ];
    }

    /// <summary>Starts the silo of <paramref name="host"/> (a silo already running there is an error) and waits until it
    /// is Active in the cluster and its gateway listens; with a configuration file, until that is loaded (or found
    /// already in the store). A silo that exits 1 while starting (its store unreachable, or declared dead before it
    /// settled) is started again a second later, up to <see cref="StartAttempts"/> times in all: what the shipped
    /// systemd unit does (deploy/systemd: Restart=on-failure, RestartSec=1s).</summary>
    public async Task<LanProcess> StartAsync(LanHost host, SiloStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new SiloStartOptions();
        for (var attempt = 1; ; attempt++)
        {
            LanProcess silo;
            lock (_lock)
            {
                if (_silos.TryGetValue(host, out var running) && !running.HasExited)
                {
                    throw new InvalidOperationException($"A silo already runs on {host.Name} (PID {running.Pid}).");
                }

                silo = StartProcess(host, options);
                _silos[host] = silo;
                _options[host] = options;
            }

            try
            {
                await silo.WaitForOutputAsync(l => l.Text.StartsWith("gateway listening on ", StringComparison.Ordinal), options.StartTimeout, cancellationToken).ConfigureAwait(false);
                if (options.ConfigurationFile is not null)
                {
                    await silo.WaitForOutputAsync(
                        l => l.Text.EndsWith(" objects).", StringComparison.Ordinal) || l.Text.StartsWith("the cluster's store holds a configuration", StringComparison.Ordinal),
                        options.StartTimeout,
                        cancellationToken).ConfigureAwait(false);
                }

                _ = SuperviseAsync(host, silo, options);
                return silo;
            }
            catch (LanException) when (attempt < StartAttempts && silo.HasExited && silo.ExitCode == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The shipped systemd unit's Restart=on-failure for the rest of the silo's life: a silo that stops by itself with
    // exit code 1 (declared dead by the cluster, e.g. a false death right after it joined a loaded host) or 3 (a
    // rolling upgrade's restart, on the installed version) is started again a second later. A silo the test kills
    // (SIGKILL: 137) or stops (SIGTERM: 0), and any after disposal, is not.
    private async Task SuperviseAsync(LanHost host, LanProcess silo, SiloStartOptions options)
    {
        await silo.Exited.ConfigureAwait(false);
        if (_disposed || silo.ExitCode is not (1 or 3))
        {
            return;
        }

        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        LanProcess restarted;
        lock (_lock)
        {
            if (_disposed || !ReferenceEquals(_silos.GetValueOrDefault(host), silo))
            {
                return;
            }

            restarted = StartProcess(host, options);
            _silos[host] = restarted;
        }

        await SuperviseAsync(host, restarted, options).ConfigureAwait(false);
    }

    /// <summary>How many times <see cref="StartAsync"/> starts a silo that keeps exiting 1 while it starts.</summary>
    public const int StartAttempts = 3;

    /// <summary>The fault "the silo crashes": SIGKILL of the silo process alone (in its own PID namespace, the child of
    /// its namespace's first process). Its VIP guard (a child process) stays, as after a real crash, and withdraws the
    /// addresses.</summary>
    public FaultWindow Kill(LanHost host)
    {
        var silo = Running(host);
        bool inPidNamespace;
        lock (_lock)
        {
            inPidNamespace = _options.GetValueOrDefault(host)?.InPidNamespace == true;
        }

        // unshare -> aviorleans-silo as the namespace's first process -> the silo.
        return inPidNamespace ? silo.KillDescendant(2) : silo.Kill();
    }

    private LanProcess StartProcess(LanHost host, SiloStartOptions options) =>
        options.InPidNamespace
            ? host.StartProcess("unshare", ["--pid", "--fork", "--mount-proc", SiloPath, .. Arguments(host, options)], options.Environment)
            : host.StartProcess(SiloPath, Arguments(host, options), options.Environment);

    /// <summary>A graceful stop (SIGTERM, as systemd or the kubelet send): the silo hands its actives to peers, withdraws
    /// its VIPs and leaves the cluster. Waits for the exit within <paramref name="timeout"/> and returns its code.</summary>
    public async Task<int> TerminateAsync(LanHost host, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var silo = Running(host);
        silo.Terminate();
        await silo.Exited.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return silo.ExitCode!.Value;
    }

    /// <summary>Stops the silo of <paramref name="host"/> and its guard at once (SIGSTOP then SIGKILL of the tree).</summary>
    public async Task StopAsync(LanHost host)
    {
        if (Silo(host) is { } silo)
        {
            await silo.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A channel to the avi.v1 gateway of <paramref name="host"/>'s silo: HTTP/2 to 127.0.0.1:50051 over
    /// sockets made inside the host's namespace. Kept and disposed with the cluster.</summary>
    public GrpcChannel Gateway(LanHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            if (_channels.TryGetValue(host, out var channel))
            {
                return channel;
            }

            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                ConnectCallback = async (_, token) =>
                {
                    var socket = await host.CreateSocketAsync().ConfigureAwait(false);
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, GatewayPort), token).ConfigureAwait(false);
                        socket.NoDelay = true;
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            channel = GrpcChannel.ForAddress($"http://127.0.0.1:{GatewayPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
            _channels[host] = channel;
            return channel;
        }
    }

    /// <summary>Calls that fail while the cluster moves: the silo behind a gateway died, is being declared dead or is
    /// being restarted by its supervisor (UNAVAILABLE, a deadline), or its connection went away under the call
    /// (INTERNAL "Error starting gRPC call").</summary>
    public static bool IsTransient(RpcException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            || (ex.StatusCode == StatusCode.Internal && ex.Status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal));
    }

    /// <summary>The last lines of every silo's output (standard error included), for failure messages.</summary>
    public string Describe(int lines = 30)
    {
        List<LanProcess> silos;
        lock (_lock)
        {
            silos = [.. _silos.Values];
        }

        return string.Join("\n", silos.Select(s => $"--- silo on {s.Host.Name} (PID {s.Pid}{(s.HasExited ? $", exited {s.ExitCode}" : "")}):\n{s.Tail(lines)}"));
    }

    /// <summary>Writes the whole output of every silo started last on each host into <paramref name="directory"/>, a file
    /// per silo (host and PID in its name), each line stamped with the wall-clock time (UTC) the harness read it.</summary>
    public void SaveOutput(string directory)
    {
        Directory.CreateDirectory(directory);
        List<LanProcess> silos;
        lock (_lock)
        {
            silos = [.. _silos.Values];
        }

        foreach (var silo in silos)
        {
            File.WriteAllLines(
                Path.Combine(directory, $"{ClusterId}-{silo.Host.Name}-{silo.Pid}.log"),
                silo.Output.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Time.ToUtc():HH:mm:ss.fff} {(l.IsError ? "E" : " ")} {l.Text}")));
        }
    }

    /// <summary>Stops every silo (and guard) by PID, disposes the channels and drops the cluster's schema.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        List<LanProcess> silos;
        List<GrpcChannel> channels;
        lock (_lock)
        {
            silos = [.. _silos.Values];
            channels = [.. _channels.Values];
            _silos.Clear();
            _channels.Clear();
        }

        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        foreach (var silo in silos)
        {
            await silo.StopAsync().ConfigureAwait(false);
        }

        await using var connection = new NpgsqlConnection(Lan.Store.UpstreamConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private LanProcess Running(LanHost host) =>
        Silo(host) is { HasExited: false } silo ? silo : throw new InvalidOperationException($"No silo runs on {host.Name}.");
}
