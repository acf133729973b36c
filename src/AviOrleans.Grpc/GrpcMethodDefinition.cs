using AviOrleans.Grpc.Internal;
using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc;

/// <summary>One method of a <see cref="GrpcServiceDefinition"/>: its path, kind, required role and handler.</summary>
public abstract class GrpcMethodDefinition
{
    private protected GrpcMethodDefinition(
        string serviceName,
        string name,
        GrpcMethodType type,
        GrpcRole requiredRole,
        MessageDescriptor requestDescriptor,
        MessageDescriptor responseDescriptor)
    {
        ServiceName = serviceName;
        Name = name;
        Type = type;
        RequiredRole = requiredRole;
        RequestDescriptor = requestDescriptor;
        ResponseDescriptor = responseDescriptor;
        Path = "/" + serviceName + "/" + name;
    }

    /// <summary>The fully-qualified service name, e.g. <c>avi.v1.VirtualServices</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method name, e.g. <c>GetVirtualService</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path, <c>/ServiceName/Name</c>.</summary>
    public string Path { get; }

    /// <summary>The kind of method.</summary>
    public GrpcMethodType Type { get; }

    /// <summary>The least role a caller needs (when authentication is required).</summary>
    public GrpcRole RequiredRole { get; }

    /// <summary>The request message type.</summary>
    public MessageDescriptor RequestDescriptor { get; }

    /// <summary>The response message type.</summary>
    public MessageDescriptor ResponseDescriptor { get; }

    /// <summary>Reads the request(s), runs the handler and writes the response(s).</summary>
    internal abstract Task InvokeAsync(GrpcServerCall call);
}
