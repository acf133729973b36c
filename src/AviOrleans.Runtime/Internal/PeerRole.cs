namespace AviOrleans.Runtime.Internal;

/// <summary>Who is at the other end of a connection.</summary>
internal enum PeerRole : byte
{
    /// <summary>A silo of the cluster.</summary>
    Silo = 1,

    /// <summary>A client: it only sends grain calls through this silo, its gateway.</summary>
    Client = 2,
}
