using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>A unary method: one request, one response.</summary>
internal sealed class UnaryMethodDefinition<TRequest, TResponse> : GrpcMethodDefinition
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Func<TRequest, ServerCallContext, Task<TResponse>> _handler;

    public UnaryMethodDefinition(string serviceName, string name, GrpcRole requiredRole, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        : base(serviceName, name, GrpcMethodType.Unary, requiredRole, new TRequest().Descriptor, new TResponse().Descriptor)
    {
        _handler = handler;
    }

    internal override async Task InvokeAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleMessageAsync(MessageParsers<TRequest>.Parser);
        var response = await _handler(request, call.Context)
            ?? throw new InvalidOperationException($"The handler of {Path} returned no response message.");

        // A handler that set a non-OK status sends no message (as grpc-dotnet does).
        if (call.Context.Status.StatusCode == StatusCode.OK)
        {
            await call.WriteMessageAsync(response, flush: false, CancellationToken.None);
        }
    }
}
