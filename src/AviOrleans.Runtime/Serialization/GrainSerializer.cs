using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AviOrleans.Runtime.Internal;

namespace AviOrleans.Runtime.Serialization;

/// <summary>
/// The one serializer of grain arguments, results and state: System.Text.Json over source-generated contexts
/// only (no reflection). The runtime's own context covers primitives, strings, byte arrays and common
/// collections of them; add a <see cref="JsonSerializerContext"/> for every other type that crosses silos.
/// </summary>
public sealed class GrainSerializer
{
    private readonly JsonSerializerOptions _options;
    private readonly ConcurrentDictionary<Type, JsonTypeInfo> _typeInfos = new();

    /// <summary>Creates a serializer over <paramref name="contexts"/> plus the runtime's own context.</summary>
    public GrainSerializer(IEnumerable<IJsonTypeInfoResolver> contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        _options = new JsonSerializerOptions
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. contexts, RuntimeJsonContext.Default]),
        };
        _options.MakeReadOnly();
    }

    /// <summary>Writes <paramref name="value"/> as one JSON value.</summary>
    public void Write<T>(Utf8JsonWriter writer, T value) => JsonSerializer.Serialize(writer, value, GetTypeInfo<T>());

    /// <summary>Reads the next JSON value of the reader as a <typeparamref name="T"/>.</summary>
    public T Read<T>(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("A grain message ended before all its values were read.");
        }

        return JsonSerializer.Deserialize(ref reader, GetTypeInfo<T>())!;
    }

    /// <summary>Reads the start of the arguments array.</summary>
    public static void ReadStartArray(ref Utf8JsonReader reader) => Expect(ref reader, JsonTokenType.StartArray);

    /// <summary>Reads the end of the arguments array.</summary>
    public static void ReadEndArray(ref Utf8JsonReader reader) => Expect(ref reader, JsonTokenType.EndArray);

    /// <summary>Serializes a value to UTF-8 JSON bytes.</summary>
    public byte[] SerializeToBytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, GetTypeInfo<T>());

    /// <summary>Deserializes UTF-8 JSON bytes.</summary>
    public T Deserialize<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize(utf8Json, GetTypeInfo<T>())!;

    private JsonTypeInfo<T> GetTypeInfo<T>()
    {
        if (_typeInfos.TryGetValue(typeof(T), out var cached))
        {
            return (JsonTypeInfo<T>)cached;
        }

        JsonTypeInfo info;
        try
        {
            info = _options.GetTypeInfo(typeof(T));
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidOperationException(
                $"{typeof(T).FullName} has no JSON contract: add [JsonSerializable(typeof({typeof(T).Name}))] to a JsonSerializerContext and pass that context to the silo and client options (SerializerContexts).",
                ex);
        }

        _typeInfos.TryAdd(typeof(T), info);
        return (JsonTypeInfo<T>)info;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"Malformed grain message: expected {token}.");
        }
    }
}
