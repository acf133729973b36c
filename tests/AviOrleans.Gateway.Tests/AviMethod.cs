using Google.Protobuf;
using Grpc.Core;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// An avi.v1 method by its path (<c>Service/Method</c>), for Grpc.Net.Client's call invoker: what the generated
/// clients hold for each method, for tests that walk methods by name.
/// </summary>
internal static class AviMethod
{
    public static Method<TRequest, TResponse> Of<TRequest, TResponse>(MethodType type, string path)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return new Method<TRequest, TResponse>(type, "avi.v1." + path[..slash], path[(slash + 1)..], Marshaller<TRequest>(), Marshaller<TResponse>());
    }

    private static Marshaller<T> Marshaller<T>()
        where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
    }
}
