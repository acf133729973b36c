namespace AviOrleans.Grpc;

/// <summary>
/// The least role a caller needs for a handler bound by <see cref="GrpcServiceDefinition.Bind"/>;
/// without it a method needs <see cref="GrpcRole.Reader"/>.
/// </summary>
/// <param name="role">The role.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class GrpcRequiredRoleAttribute(GrpcRole role) : Attribute
{
    /// <summary>The role.</summary>
    public GrpcRole Role { get; } = role;
}
