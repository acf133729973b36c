namespace AviOrleans.Grpc;

/// <summary>Per-call options of the client.</summary>
/// <param name="Headers">Custom metadata sent with the request.</param>
/// <param name="Deadline">When the call must have finished (UTC); null for none. Sent as <c>grpc-timeout</c>.</param>
/// <param name="CancellationToken">Cancels the call (the server's handler sees it cancelled).</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default);
