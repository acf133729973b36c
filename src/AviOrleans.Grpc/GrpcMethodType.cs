namespace AviOrleans.Grpc;

/// <summary>The four kinds of gRPC methods.</summary>
public enum GrpcMethodType
{
    /// <summary>One request, one response.</summary>
    Unary = 0,

    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming = 1,

    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming = 2,

    /// <summary>A stream of requests and a stream of responses.</summary>
    DuplexStreaming = 3,
}
