namespace AviOrleans.Runtime.Internal;

/// <summary>Who this end of a connection is and the secret it proves it holds.</summary>
internal sealed record HandshakeSettings(
    string ClusterId,
    byte[] ClusterKey,
    PeerRole LocalRole,
    string LocalSilo,
    TimeProvider TimeProvider,
    TimeSpan Timeout);
