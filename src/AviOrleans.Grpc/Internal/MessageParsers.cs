using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>One cached parser per message type.</summary>
internal static class MessageParsers<T>
    where T : class, IMessage<T>, new()
{
    public static readonly MessageParser<T> Parser = new(() => new T());
}
