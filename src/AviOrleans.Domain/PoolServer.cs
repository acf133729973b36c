namespace AviOrleans.Domain;

/// <summary>A back-end server of a VS's pool (Avi's <c>Pool.servers[]</c>: <c>ip</c>, <c>port</c>).</summary>
public sealed record PoolServer
{
    /// <summary><c>ip</c>: the server address.</summary>
    public required string Ip { get; init; }

    /// <summary><c>port</c> (1–65535); null uses the pool's default port.</summary>
    public int? Port { get; init; }
}
