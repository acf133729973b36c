namespace AviOrleans.Grpc;

/// <summary>Bearer-token authentication of gRPC calls.</summary>
public sealed class GrpcAuthenticationOptions
{
    /// <summary>
    /// Whether calls must carry a bearer token (<c>authorization: Bearer TOKEN</c>). When false,
    /// every caller is treated as <see cref="GrpcRole.Admin"/>: only for a gateway bound to
    /// loopback. Default: false.
    /// </summary>
    public bool RequireAuthentication { get; set; }

    /// <summary>The tokens the operator configured, each with the role it grants.</summary>
    public IList<GrpcBearerToken> Tokens { get; } = [];

    /// <summary>
    /// Fully-qualified services callable without a token even when authentication is required.
    /// Default: health (<c>grpc.health.v1.Health</c>) and reflection (v1 and v1alpha).
    /// </summary>
    public ISet<string> AnonymousServices { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    };
}
