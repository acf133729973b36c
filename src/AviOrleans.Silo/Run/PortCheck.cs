using System.Net;
using System.Net.Sockets;
using AviOrleans.Silo.Hosting;

namespace AviOrleans.Silo.Run;

/// <summary>
/// Checks that the silo and gateway ports are free before the silo starts. Orleans binds its listeners with
/// ReuseAddress, which .NET on Linux turns into SO_REUSEPORT: a second silo on a taken port would start and share the
/// port with the first (the kernel splitting connections between them) instead of failing. A plain bind fails on a
/// port that any socket listens on, so it names the conflict before anything is shared.
/// </summary>
internal static class PortCheck
{
    public static string? Describe(SiloHostOptions silo)
    {
        if (!IPAddress.TryParse(silo.ListenAddress, out var address))
        {
            return null;
        }

        foreach (var (option, port) in new[] { ("--silo-port", silo.SiloPort), ("--gateway-port", silo.GatewayPort) })
        {
            if (port == 0)
            {
                continue;
            }

            try
            {
                using var probe = new TcpListener(address, port);
                probe.Start();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return $"{option} {port} is already in use on {address} (another silo on this host?).";
            }
        }

        return null;
    }
}
