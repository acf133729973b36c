using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

// The LAN harness's service on each SE host: answers every TCP connection on PORT with the host's name and a newline,
// then closes it, so a client can tell which host answered a VIP. It listens on the unspecified address (dual-stack),
// so it answers on any address the host holds, VIPs included, the moment the address is added.
//
//   AviOrleans.Testing.Lan.Banner --name se1 --port 8080 [--parent PID]
//
// Started by the harness inside a host's network namespace (`ip netns exec`). With --parent it exits by itself once
// that process is gone (a crashed harness leaves no banner behind); the harness normally stops it with SIGKILL.
string? name = null;
int port = 0;
int parent = 0;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--name":
            name = args[i + 1];
            break;
        case "--port":
            port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--parent":
            parent = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

if (string.IsNullOrWhiteSpace(name) || port is <= 0 or > 65535 || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: AviOrleans.Testing.Lan.Banner --name NAME --port PORT [--parent PID]");
    return 2;
}

var banner = Encoding.ASCII.GetBytes(name + "\n");
using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
listener.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
listener.Listen(1024);
Console.Out.WriteLine($"listening {name} {port}");
Console.Out.Flush();

if (parent > 0)
{
    _ = Task.Run(async () =>
    {
        // Re-parented (the harness died) or the parent is gone: nothing will ever stop this process, so stop now.
        while (File.Exists($"/proc/{parent}/stat") && ParentPid() == parent)
        {
            await Task.Delay(500);
        }

        Environment.Exit(0);
    });
}

while (true)
{
    var connection = await listener.AcceptAsync();
    _ = Task.Run(async () =>
    {
        using (connection)
        {
            try
            {
                await connection.SendAsync(banner, SocketFlags.None);
                connection.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The client gave up (its attempt timed out): nothing to answer.
            }
        }
    });
}

static int ParentPid()
{
    // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return int.Parse(fields[1], CultureInfo.InvariantCulture);
}
