using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Tmds.Linux;

namespace AviOrleans.Bench.DataPlane;

/// <summary>
/// The bench's LAN: a bridge namespace (br0, 192.0.2.1/24) and one namespace per SE host with eth0 192.0.2.(10+i)/24
/// on it, and a relay in the bridge namespace that forwards 192.0.2.1:5432 to the PostgreSQL server in the root
/// namespace. Names are random; disposing deletes the namespaces.
/// </summary>
internal sealed class BenchLan : IAsyncDisposable
{
    public const string StoreAddress = "192.0.2.1";
    public const int StorePort = 5432;

    private readonly string _prefix = "avidpb-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly List<string> _namespaces = [];
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _relay;

    public string Bridge => _prefix + "-lan";

    public string Host(int index) => _prefix + "-h" + index.ToString(CultureInfo.InvariantCulture);

    public static string HostAddress(int index) => "192.0.2." + (10 + index).ToString(CultureInfo.InvariantCulture);

    public static async Task<BenchLan> CreateAsync(int hosts, IPEndPoint store)
    {
        var lan = new BenchLan();
        await lan.AddNamespaceAsync(lan.Bridge);
        await Run("ip", "-n", lan.Bridge, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        await Run("ip", "-n", lan.Bridge, "addr", "add", StoreAddress + "/24", "dev", "br0");
        await Run("ip", "-n", lan.Bridge, "link", "set", "br0", "up");
        for (var i = 0; i < hosts; i++)
        {
            var ns = lan.Host(i);
            await lan.AddNamespaceAsync(ns);
            var port = "h" + i.ToString(CultureInfo.InvariantCulture);
            await Run("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", lan.Bridge);
            await Run("ip", "-n", lan.Bridge, "link", "set", port, "master", "br0");
            await Run("ip", "-n", lan.Bridge, "link", "set", port, "up");
            await Run("ip", "-n", ns, "addr", "add", HostAddress(i) + "/24", "dev", "eth0");
            await Run("ip", "-n", ns, "link", "set", "eth0", "up");
        }

        lan.StartRelay(store);
        return lan;
    }

    public Task SetLinkAsync(int host, bool up) => Run("ip", "-n", Host(host), "link", "set", "eth0", up ? "up" : "down");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        if (_relay is not null)
        {
            await _relay;
        }

        foreach (var ns in _namespaces)
        {
            await Run("ip", "netns", "del", ns);
        }
    }

    public static async Task Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {error}");
        }
    }

    private async Task AddNamespaceAsync(string name)
    {
        await Run("ip", "netns", "add", name);
        _namespaces.Add(name);
        await Run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /// <summary>A listening socket made inside the bridge namespace (a socket belongs to the namespace of the thread
    /// that creates it), accepting on the thread pool and connecting upstream from the root namespace.</summary>
    private void StartRelay(IPEndPoint store)
    {
        Socket? listener = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var original = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle("/var/run/netns/" + Bridge);
                if (LibC.setns((int)target.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
                {
                    throw new InvalidOperationException("setns into the bridge namespace failed.");
                }

                listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Parse(StoreAddress), StorePort));
                listener.Listen(256);
                _ = LibC.setns((int)original.DangerousGetHandle(), LibC.CLONE_NEWNET);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The store relay could not listen in the bridge namespace.", failure);
        }

        _listener = listener!;
        _relay = Task.Run(() => AcceptAsync(store));
    }

    private async Task AcceptAsync(IPEndPoint store)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                using (client)
                {
                    try
                    {
                        await server.ConnectAsync(store, _stopping.Token);
                        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                    {
                    }
                }
            });
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
