using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AviOrleans.Testing.Lan.Internal;
using Tmds.Linux;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// The store's machine on the LAN (192.0.2.2). The PostgreSQL server itself runs outside the LAN (scripts/test.sh
/// starts one on 127.0.0.1 and exports its connection string); a relay process (AviOrleans.Testing.Lan.Relay) listens
/// on <see cref="Endpoint"/> inside this namespace and relays every connection, byte for byte, to that server. So the
/// hosts reach the store over the bridge, like a database machine on the LAN, and the faults act on it: a partitioned
/// host loses its store, a frozen one stops talking to it, and <see cref="StopServingAsync"/> is the server stopping;
/// the server's own listen address never changes, nor leaves loopback. The relay is a process of its own so that the
/// store's latency does not depend on how busy the harness is.
/// </summary>
public sealed class LanStore : LanNode
{
    private readonly Lock _lock = new();
    private Process? _relay;

    internal LanStore(VirtualLan lan, string name, IPAddress address, int port, string? upstreamConnectionString)
        : base(lan, name, address)
    {
        Endpoint = new IPEndPoint(address, port);
        UpstreamConnectionString = upstreamConnectionString;
        Upstream = upstreamConnectionString is null ? null : ParseUpstream(upstreamConnectionString);
    }

    /// <summary>Where the hosts reach the store: 192.0.2.2 and the store port (default 5432).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The server's own connection string (from <see cref="LanOptions.StoreConnectionString"/>), or null when the
    /// LAN has no store.</summary>
    public string? UpstreamConnectionString { get; }

    /// <summary>The server the store relays to (TCP, or the server's Unix socket when its Host is a folder), or null.</summary>
    public EndPoint? Upstream { get; }

    /// <summary>True when a server is configured.</summary>
    public bool IsAvailable => Upstream is not null;

    /// <summary>True between <see cref="StopServingAsync"/> and <see cref="ResumeServingAsync"/>.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>The relay process's id while it runs.</summary>
    public int? RelayPid
    {
        get
        {
            lock (_lock)
            {
                return _relay?.Id;
            }
        }
    }

    /// <summary>The server's connection string with Host and Port pointing at <see cref="Endpoint"/>: what a process on an
    /// SE host uses. Throws when the LAN has no store.</summary>
    public string ConnectionString
    {
        get
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = UpstreamConnectionString ?? throw new InvalidOperationException("The LAN has no store: LanOptions.StoreConnectionString (default: AVIORLEANS_TEST_POSTGRES) is not set.") };
            builder.Remove("Server");
            builder["Host"] = Endpoint.Address.ToString();
            builder["Port"] = Endpoint.Port.ToString(CultureInfo.InvariantCulture);
            return builder.ConnectionString;
        }
    }

    /// <summary>The fault "the database server is stopped": the relay process is killed, so every connection through it is
    /// reset and the store's port refuses new ones (nothing listens on it), as when PostgreSQL shuts down on its machine.
    /// The server itself and every other user of it are untouched.</summary>
    public async Task<FaultWindow> StopServingAsync()
    {
        Process? relay;
        lock (_lock)
        {
            relay = _relay;
            _relay = null;
            IsStopped = true;
        }

        var started = LanTime.Now;
        if (relay is not null)
        {
            LinuxProcesses.Signal(relay.Id, LibC.SIGKILL);
        }

        var window = new FaultWindow(started, LanTime.Now);
        if (relay is not null)
        {
            await relay.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            relay.Dispose();
        }

        return window;
    }

    /// <summary>Starts the relay again after <see cref="StopServingAsync"/>: the server is back.</summary>
    public async Task ResumeServingAsync()
    {
        if (!IsStopped)
        {
            return;
        }

        IsStopped = false;
        await StartRelayAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the relay process (only when a server is configured) and waits until it listens.</summary>
    internal async Task StartRelayAsync()
    {
        if (Upstream is null)
        {
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "AviOrleans.Testing.Lan.Relay");
        if (!File.Exists(path))
        {
            throw new LanException($"The store relay {path} is missing: reference tests/AviOrleans.Testing.Lan so that it is built next to the caller.");
        }

        var upstream = Upstream switch
        {
            UnixDomainSocketEndPoint unix => unix.ToString()!,
            IPEndPoint ip => ip.ToString(),
            DnsEndPoint dns => $"{Dns.GetHostAddresses(dns.Host)[0]}:{dns.Port}",
            _ => throw new LanException($"Unsupported store endpoint {Upstream}."),
        };
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--netns", NamespaceName, "--listen", Endpoint.ToString(), "--upstream", upstream, "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        // A small, quiet process, like the banner.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        var relay = Process.Start(start) ?? throw new LanException($"{path} could not be started.");
        lock (_lock)
        {
            _relay = relay;
        }

        var errors = relay.StandardError.ReadToEndAsync();
        var line = await relay.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (line is null || !line.StartsWith("relaying ", StringComparison.Ordinal))
        {
            throw new LanException($"The store relay did not start: {await errors.ConfigureAwait(false)}");
        }

        // Drain its output so that it never blocks on a full pipe.
        _ = relay.StandardOutput.ReadToEndAsync();
    }

    /// <inheritdoc/>
    internal override void Release()
    {
        Process? relay;
        lock (_lock)
        {
            relay = _relay;
            _relay = null;
        }

        if (relay is not null)
        {
            LinuxProcesses.Signal(relay.Id, LibC.SIGKILL);
            relay.WaitForExit(10_000);
            relay.Dispose();
        }

        base.Release();
    }

    private static EndPoint ParseUpstream(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var host = (builder.TryGetValue("Host", out var h) ? h : builder.TryGetValue("Server", out var s) ? s : null) as string;
        var port = builder.TryGetValue("Port", out var p) ? int.Parse(Convert.ToString(p, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture) : 5432;
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new LanException("The store's connection string has no Host.");
        }

        if (host.StartsWith('/'))
        {
            // Npgsql's convention: a Host that is a folder means the server's Unix socket in it.
            return new UnixDomainSocketEndPoint(Path.Combine(host, $".s.PGSQL.{port}"));
        }

        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }
}
