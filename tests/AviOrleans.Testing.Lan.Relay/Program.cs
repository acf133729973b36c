using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

// The LAN's store machine: listens on ADDRESS:PORT inside the store node's network namespace and relays every
// connection, byte for byte, to the database server outside the LAN (TCP, or its Unix socket when UPSTREAM is a path).
//
//   AviOrleans.Testing.Lan.Relay --netns NAME --listen 192.0.2.2:5432 --upstream 127.0.0.1:5432|/run/pg/.s.PGSQL.5432 [--parent PID]
//
// A process of its own, not the harness's threads: the silos' store traffic (lease renewals every 50 ms) must not
// stall when the harness is busy sampling and probing, and SIGKILL of this process is the fault "PostgreSQL stopped"
// (every connection reset, the port refusing) without touching the server other tests share. Started in the root
// namespace; only the listening socket is made inside NAME (setns on a thread of its own), so the upstream
// connections, made on the thread pool, reach the server where it listens.
string? netns = null;
IPEndPoint? listen = null;
EndPoint? upstream = null;
var parent = 0;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--netns":
            netns = args[i + 1];
            break;
        case "--listen":
            listen = IPEndPoint.Parse(args[i + 1]);
            break;
        case "--upstream":
            upstream = args[i + 1].StartsWith('/') ? new UnixDomainSocketEndPoint(args[i + 1]) : IPEndPoint.Parse(args[i + 1]);
            break;
        case "--parent":
            parent = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

if (netns is null || listen is null || upstream is null || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: AviOrleans.Testing.Lan.Relay --netns NAME --listen ADDRESS:PORT --upstream HOST:PORT|SOCKET [--parent PID]");
    return 2;
}

Socket listener;
try
{
    listener = ListenInNamespace(netns, listen);
}
catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cannot listen on {listen} in {netns}: {ex.Message}");
    return 1;
}

Console.Out.WriteLine($"relaying {listen} to {upstream}");
Console.Out.Flush();
if (parent > 0)
{
    _ = Task.Run(async () =>
    {
        // The harness is gone (or this process was re-parented): nothing will stop this process, so stop now.
        while (File.Exists($"/proc/{parent}/stat") && ParentPid() == parent)
        {
            await Task.Delay(500);
        }

        Environment.Exit(0);
    });
}

while (true)
{
    var accepted = await listener.AcceptAsync();
    _ = RelayAsync(accepted, upstream);
}

static Socket ListenInNamespace(string netns, IPEndPoint endpoint)
{
    Socket? socket = null;
    Exception? failure = null;
    var thread = new Thread(() =>
    {
        try
        {
            using var file = File.OpenHandle("/var/run/netns/" + netns, FileMode.Open, FileAccess.Read);
            if (LibC.setns((int)file.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
            {
                throw new IOException($"setns failed (errno {Marshal.GetLastPInvokeError()})");
            }

            socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
    });
    thread.Start();
    thread.Join();
    return failure is null ? socket! : throw failure;
}

static async Task RelayAsync(Socket accepted, EndPoint upstream)
{
    using (accepted)
    using (var server = new Socket(upstream.AddressFamily, SocketType.Stream, upstream is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp))
    {
        try
        {
            accepted.NoDelay = true;
            await server.ConnectAsync(upstream);
            if (server.ProtocolType == ProtocolType.Tcp)
            {
                server.NoDelay = true;
            }

            await Task.WhenAll(PumpAsync(accepted, server), PumpAsync(server, accepted));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // A side closed or reset: the relay ends with it.
        }
    }
}

static async Task PumpAsync(Socket from, Socket to)
{
    var buffer = new byte[16 * 1024];
    try
    {
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
        }
    }
    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
    {
        // One side went away: close both, so the other side sees it at once.
        from.Dispose();
        to.Dispose();
    }
}

static int ParentPid()
{
    // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return int.Parse(fields[1], CultureInfo.InvariantCulture);
}
