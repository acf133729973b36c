using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace AviOrleans.Testing;

/// <summary>What a raw HTTP request to the server got back.</summary>
public sealed record RawGrpcResult(
    HttpStatusCode HttpStatus,
    Version HttpVersion,
    StatusCode? Status,
    string? Message,
    IReadOnlyList<byte[]> Messages,
    HttpResponseHeaders Headers,
    bool TrailersOnly);
