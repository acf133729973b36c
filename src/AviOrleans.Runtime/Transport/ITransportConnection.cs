namespace AviOrleans.Runtime.Transport;

/// <summary>One connection: a byte stream in both directions.</summary>
public interface ITransportConnection : IAsyncDisposable
{
    /// <summary>The connection's byte stream.</summary>
    Stream Stream { get; }

    /// <summary>Kills the connection at once with no goodbye (a TCP reset): what a crashed process leaves behind.</summary>
    void Abort();
}
