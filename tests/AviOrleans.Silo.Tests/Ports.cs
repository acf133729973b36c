using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Silo.Tests;

/// <summary>Free loopback ports for silos whose endpoints other silos must be told in advance.</summary>
internal static class Ports
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
