using AviOrleans.Grpc.Internal;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc;

/// <summary>
/// A gRPC service: its name and its methods with their handlers. Built from the generated
/// <see cref="ServiceDescriptor"/> (so that reflection can describe it and every method is checked
/// against the .proto), then mapped with <c>endpoints.MapGrpcService(definition)</c>.
/// </summary>
/// <example>
/// <code>
/// var service = GrpcServiceDefinition.Create(VsReflection.Descriptor, "VirtualServices")
///     .AddUnary&lt;GetVirtualServiceRequest, VirtualService&gt;("GetVirtualService", GetAsync)
///     .AddUnary&lt;CreateVirtualServiceRequest, VirtualService&gt;("CreateVirtualService", CreateAsync, GrpcRole.Admin)
///     .AddServerStreaming&lt;WatchRequest, PlacementEvent&gt;("WatchPlacement", WatchAsync);
/// </code>
/// </example>
public sealed class GrpcServiceDefinition
{
    private readonly Dictionary<string, GrpcMethodDefinition> _methods = new(StringComparer.Ordinal);

    private GrpcServiceDefinition(string name, ServiceDescriptor? descriptor)
    {
        Name = name;
        Descriptor = descriptor;
    }

    /// <summary>The fully-qualified service name, e.g. <c>avi.v1.VirtualServices</c>.</summary>
    public string Name { get; }

    /// <summary>The service's descriptor, when created from one; reflection serves its file.</summary>
    public ServiceDescriptor? Descriptor { get; }

    /// <summary>The methods added so far.</summary>
    public IReadOnlyCollection<GrpcMethodDefinition> Methods => _methods.Values;

    /// <summary>
    /// Methods the descriptor declares that have no handler yet; calls to them get UNIMPLEMENTED.
    /// Empty for a definition created without a descriptor.
    /// </summary>
    public IReadOnlyList<string> UnimplementedMethods =>
        Descriptor is null ? [] : Descriptor.Methods.Where(m => !_methods.ContainsKey(m.Name)).Select(m => m.Name).ToList();

    /// <summary>Creates a definition for the service <paramref name="descriptor"/> describes.</summary>
    public static GrpcServiceDefinition Create(ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new GrpcServiceDefinition(descriptor.FullName, descriptor);
    }

    /// <summary>
    /// Creates a definition for the service named <paramref name="serviceName"/> (short name, e.g.
    /// "VirtualServices") in a generated file, e.g. <c>VsReflection.Descriptor</c>.
    /// </summary>
    public static GrpcServiceDefinition Create(FileDescriptor file, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        var service = file.Services.FirstOrDefault(s => s.Name == serviceName || s.FullName == serviceName)
            ?? throw new ArgumentException($"{file.Name} declares no service '{serviceName}'; it declares: {string.Join(", ", file.Services.Select(s => s.Name))}.", nameof(serviceName));
        return Create(service);
    }

    /// <summary>
    /// Creates a definition whose handlers are the public methods of <paramref name="implementation"/>
    /// named like the RPCs (optionally with an "Async" suffix), in grpc-dotnet's shapes, e.g.
    /// <c>Task&lt;VirtualService&gt; GetVirtualService(GetVirtualServiceRequest request, ServerCallContext context)</c>.
    /// Mark mutations with <c>[GrpcRequiredRole(GrpcRole.Admin)]</c>.
    /// </summary>
    /// <param name="descriptor">The service's descriptor from the generated code.</param>
    /// <param name="implementation">The object whose methods handle the calls.</param>
    /// <param name="requireAll">Throw when an RPC has no method (default); false leaves it UNIMPLEMENTED.</param>
    public static GrpcServiceDefinition Bind(ServiceDescriptor descriptor, object implementation, bool requireAll = true)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(implementation);
        var definition = Create(descriptor);
        ConventionBinder.Bind(definition, descriptor, implementation, requireAll);
        return definition;
    }

    /// <summary>
    /// Creates a definition from a name alone; methods are not checked and reflection cannot
    /// describe the service. Prefer <see cref="Create(ServiceDescriptor)"/>.
    /// </summary>
    public static GrpcServiceDefinition Create(string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        if (serviceName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("A service name is fully qualified (package.Service) and has no '/'.", nameof(serviceName));
        }

        return new GrpcServiceDefinition(serviceName, null);
    }

    /// <summary>Adds a unary method.</summary>
    /// <param name="methodName">The method's name as in the .proto, e.g. <c>GetVirtualService</c>.</param>
    /// <param name="handler">Runs the call; throw <see cref="RpcException"/> (or a mapped exception) to fail it.</param>
    /// <param name="requiredRole">The least role a caller needs. Default: <see cref="GrpcRole.Reader"/>.</param>
    public GrpcServiceDefinition AddUnary<TRequest, TResponse>(
        string methodName,
        Func<TRequest, ServerCallContext, Task<TResponse>> handler,
        GrpcRole requiredRole = GrpcRole.Reader)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new UnaryMethodDefinition<TRequest, TResponse>(Name, methodName, requiredRole, handler));
    }

    /// <summary>Adds a server-streaming method.</summary>
    /// <param name="methodName">The method's name as in the .proto.</param>
    /// <param name="handler">Writes the responses; the call ends when the returned task completes.</param>
    /// <param name="requiredRole">The least role a caller needs. Default: <see cref="GrpcRole.Reader"/>.</param>
    public GrpcServiceDefinition AddServerStreaming<TRequest, TResponse>(
        string methodName,
        Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler,
        GrpcRole requiredRole = GrpcRole.Reader)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new ServerStreamingMethodDefinition<TRequest, TResponse>(Name, methodName, requiredRole, handler));
    }

    /// <summary>Adds a client-streaming method.</summary>
    /// <param name="methodName">The method's name as in the .proto.</param>
    /// <param name="handler">Reads the requests and returns the single response.</param>
    /// <param name="requiredRole">The least role a caller needs. Default: <see cref="GrpcRole.Reader"/>.</param>
    public GrpcServiceDefinition AddClientStreaming<TRequest, TResponse>(
        string methodName,
        Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler,
        GrpcRole requiredRole = GrpcRole.Reader)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new ClientStreamingMethodDefinition<TRequest, TResponse>(Name, methodName, requiredRole, handler));
    }

    /// <summary>Adds a duplex (bidirectional) streaming method.</summary>
    /// <param name="methodName">The method's name as in the .proto.</param>
    /// <param name="handler">Reads requests and writes responses; the call ends when the returned task completes.</param>
    /// <param name="requiredRole">The least role a caller needs. Default: <see cref="GrpcRole.Reader"/>.</param>
    public GrpcServiceDefinition AddDuplexStreaming<TRequest, TResponse>(
        string methodName,
        Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler,
        GrpcRole requiredRole = GrpcRole.Reader)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new DuplexStreamingMethodDefinition<TRequest, TResponse>(Name, methodName, requiredRole, handler));
    }

    private GrpcServiceDefinition Add(GrpcMethodDefinition method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method.Name);
        if (method.Name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Method name '{method.Name}' may not contain '/'.", nameof(method));
        }

        if (Descriptor is not null)
        {
            CheckAgainstDescriptor(Descriptor, method);
        }

        if (!_methods.TryAdd(method.Name, method))
        {
            throw new ArgumentException($"Method '{method.Name}' was already added to {Name}.", nameof(method));
        }

        return this;
    }

    // Catches a handler registered with the wrong name, message types or streaming kind at
    // start-up rather than as a confusing INTERNAL error on the first call.
    private static void CheckAgainstDescriptor(ServiceDescriptor descriptor, GrpcMethodDefinition method)
    {
        var declared = descriptor.FindMethodByName(method.Name)
            ?? throw new ArgumentException($"Service {descriptor.FullName} declares no method '{method.Name}'.", nameof(method));
        if (declared.InputType.FullName != method.RequestDescriptor.FullName)
        {
            throw new ArgumentException($"{method.Path} takes {declared.InputType.FullName}, not {method.RequestDescriptor.FullName}.", nameof(method));
        }

        if (declared.OutputType.FullName != method.ResponseDescriptor.FullName)
        {
            throw new ArgumentException($"{method.Path} returns {declared.OutputType.FullName}, not {method.ResponseDescriptor.FullName}.", nameof(method));
        }

        var declaredType = (declared.IsClientStreaming, declared.IsServerStreaming) switch
        {
            (false, false) => GrpcMethodType.Unary,
            (true, false) => GrpcMethodType.ClientStreaming,
            (false, true) => GrpcMethodType.ServerStreaming,
            (true, true) => GrpcMethodType.DuplexStreaming,
        };
        if (declaredType != method.Type)
        {
            throw new ArgumentException($"{method.Path} is declared {declaredType}, but was added as {method.Type}.", nameof(method));
        }
    }
}
