using System.Net;

namespace AviOrleans.Runtime.Transport;

/// <summary>
/// How silos and clients reach each other: a stream-oriented, connection-based network. The runtime uses TCP
/// (<see cref="TcpTransport"/>); a simulation can put an in-memory network with faults here.
/// </summary>
public interface ITransport
{
    /// <summary>Listens on <paramref name="endpoint"/> (port 0 picks a free port).</summary>
    Task<ITransportListener> ListenAsync(IPEndPoint endpoint, CancellationToken cancellationToken);

    /// <summary>Connects to <paramref name="endpoint"/>; a refused or unreachable endpoint throws.</summary>
    Task<ITransportConnection> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken);
}
