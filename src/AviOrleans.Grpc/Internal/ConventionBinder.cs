using System.Reflection;
using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// Binds the RPCs of a descriptor to the public instance methods of an object that carry the
/// same names and the grpc-dotnet handler shapes:
/// <c>Task&lt;TRes&gt; M(TReq, ServerCallContext)</c>, <c>Task M(TReq, IServerStreamWriter&lt;TRes&gt;, ServerCallContext)</c>,
/// <c>Task&lt;TRes&gt; M(IAsyncStreamReader&lt;TReq&gt;, ServerCallContext)</c>,
/// <c>Task M(IAsyncStreamReader&lt;TReq&gt;, IServerStreamWriter&lt;TRes&gt;, ServerCallContext)</c>.
/// </summary>
internal static class ConventionBinder
{
    public static void Bind(GrpcServiceDefinition definition, ServiceDescriptor descriptor, object implementation, bool requireAll)
    {
        var type = implementation.GetType();
        var missing = new List<string>();
        foreach (var rpc in descriptor.Methods)
        {
            var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == rpc.Name || m.Name == rpc.Name + "Async").ToList();
            if (candidates.Count == 0)
            {
                missing.Add(rpc.Name);
                continue;
            }

            if (candidates.Count > 1)
            {
                throw new ArgumentException($"{type.Name} has more than one method for {rpc.FullName}.", nameof(implementation));
            }

            var method = candidates[0];
            var (requestType, responseType) = (rpc.InputType.ClrType, rpc.OutputType.ClrType);
            if (requestType is null || responseType is null)
            {
                throw new ArgumentException($"{rpc.FullName}: the descriptor has no generated message types.", nameof(descriptor));
            }

            var role = method.GetCustomAttribute<GrpcRequiredRoleAttribute>()?.Role ?? GrpcRole.Reader;
            var (adder, delegateType) = (rpc.IsClientStreaming, rpc.IsServerStreaming) switch
            {
                (false, false) => (nameof(GrpcServiceDefinition.AddUnary), typeof(Func<,,>).MakeGenericType(requestType, typeof(ServerCallContext), typeof(Task<>).MakeGenericType(responseType))),
                (false, true) => (nameof(GrpcServiceDefinition.AddServerStreaming), typeof(Func<,,,>).MakeGenericType(requestType, typeof(IServerStreamWriter<>).MakeGenericType(responseType), typeof(ServerCallContext), typeof(Task))),
                (true, false) => (nameof(GrpcServiceDefinition.AddClientStreaming), typeof(Func<,,>).MakeGenericType(typeof(IAsyncStreamReader<>).MakeGenericType(requestType), typeof(ServerCallContext), typeof(Task<>).MakeGenericType(responseType))),
                (true, true) => (nameof(GrpcServiceDefinition.AddDuplexStreaming), typeof(Func<,,,>).MakeGenericType(typeof(IAsyncStreamReader<>).MakeGenericType(requestType), typeof(IServerStreamWriter<>).MakeGenericType(responseType), typeof(ServerCallContext), typeof(Task))),
            };

            Delegate handler;
            try
            {
                handler = method.CreateDelegate(delegateType, implementation);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"{type.Name}.{method.Name} does not have the shape of {rpc.FullName}: expected {delegateType}.", nameof(implementation));
            }

            typeof(GrpcServiceDefinition).GetMethod(adder)!
                .MakeGenericMethod(requestType, responseType)
                .Invoke(definition, BindingFlags.DoNotWrapExceptions, binder: null, [rpc.Name, handler, role], culture: null);
        }

        if (requireAll && missing.Count > 0)
        {
            throw new ArgumentException($"{type.Name} implements no method for: {string.Join(", ", missing)}.", nameof(implementation));
        }
    }
}
