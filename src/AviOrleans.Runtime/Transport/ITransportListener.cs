using System.Net;

namespace AviOrleans.Runtime.Transport;

/// <summary>A listening endpoint. Disposing it stops accepting.</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The endpoint actually bound (with the chosen port).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Waits for the next connection; throws once the listener is disposed.</summary>
    Task<ITransportConnection> AcceptAsync(CancellationToken cancellationToken);
}
