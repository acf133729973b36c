namespace AviOrleans.Domain;

/// <summary>A back-end server of a VS's pool (Avi's <c>Pool.servers[]</c>: <c>ip</c>, <c>port</c>).</summary>
public sealed record PoolServer
{
    /// <summary><c>ip</c>: the server address.</summary>
    public required string Ip { get; init; }

    /// <summary>Avi's <c>Pool.default_server_port</c> default: the port of a server that gives none.</summary>
    public const int DefaultServerPort = 80;

    /// <summary><c>port</c> (1–65535); null uses the pool's default port (<see cref="DefaultServerPort"/>).</summary>
    public int? Port { get; init; }
}
