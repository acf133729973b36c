using System.Net;
using System.Net.Sockets;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Whether a peer silo's process is gone: the kernel of its host refuses a TCP connection to the silo port (a RST).
/// Unlike silence this is positive evidence, and it comes within a round trip: a frozen, partitioned, starved or
/// merely slow silo never refuses (its listener stays open, or nothing answers at all); only a host on which no
/// process listens on the port does.
/// </summary>
internal static class SiloPortProbe
{
    /// <summary>True when a connection to <paramref name="endpoint"/> is refused; false when it is accepted (closed again
    /// at once, before any byte), times out after <paramref name="timeout"/>, or fails otherwise.</summary>
    public static async Task<bool> RefusesAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken) =>
        await TcpConnect.AttemptAsync(endpoint, timeout, cancellationToken).ConfigureAwait(false) == SocketError.ConnectionRefused;
}
