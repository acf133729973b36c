namespace AviOrleans.Grpc;

/// <summary>
/// Turns an exception a handler threw into the status the client sees; returns null to leave the
/// exception to the next mapper (and in the end to the default: Unknown with no detail).
/// </summary>
public delegate RpcException? GrpcExceptionMapper(Exception exception, ServerCallContext context);
