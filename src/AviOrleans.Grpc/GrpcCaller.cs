namespace AviOrleans.Grpc;

/// <summary>Who made a call, as established by the bearer token.</summary>
/// <param name="Name">The name the operator gave the token; "anonymous" with no token.</param>
/// <param name="Role">The role the token grants.</param>
public sealed record GrpcCaller(string Name, GrpcRole Role)
{
    /// <summary>A caller that presented no token.</summary>
    public static readonly GrpcCaller Anonymous = new("anonymous", GrpcRole.Anonymous);

    /// <summary>The caller when authentication is turned off: everything is allowed.</summary>
    public static readonly GrpcCaller Unauthenticated = new("local", GrpcRole.Admin);
}
