using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>Loopback ports nobody listens on right now (for silo and gateway endpoints, and "closed port" tests).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
