namespace AviOrleans.Runtime.Internal;

/// <summary>
/// The first byte of a frame's payload. Every frame is <c>[int32 LE payload length][payload]</c>.
/// <code>
/// Hello      1 | u8 version | u8 role | str clusterId | str connectorSilo | str expectedSilo | nonceC[32]
/// Challenge  2 | str acceptorSilo | nonceS[32] | HMAC-SHA256(key, "AVI-S" nonceC nonceS acceptorSilo)[32]
/// Proof      3 | HMAC-SHA256(key, "AVI-C" nonceS nonceC role connectorSilo clusterId)[32]
/// Accepted   4
/// Request   10 | i64 callId | u8 targetKind | u8 flags | u8 forwardCount | i32 timeoutMs | str grainType | str grainKey | i32 methodId | body
/// Response  11 | i64 callId | u8 status | body
/// GoAway    12            (the silo is leaving: send new calls elsewhere; pending ones still complete here)
/// </code>
/// A grain request's body is its arguments as a JSON array; a response's body is the result as one JSON value
/// or, for an exception, <c>{"t": type, "m": message}</c>. Strings are i32 byte count + UTF-8.
/// </summary>
internal static class FrameKind
{
    public const byte Hello = 1;
    public const byte Challenge = 2;
    public const byte Proof = 3;
    public const byte Accepted = 4;
    public const byte Request = 10;
    public const byte Response = 11;
    public const byte GoAway = 12;
}
