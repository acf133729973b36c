namespace AviOrleans.Runtime.Internal;

/// <summary>The header of an incoming request frame.</summary>
internal readonly record struct RequestHeader(
    long CallId,
    TargetKind TargetKind,
    RequestFlags Flags,
    int ForwardCount,
    int TimeoutMs,
    string GrainType,
    string GrainKey,
    int MethodId);
