using System.Text.Json;
using System.Text.Json.Serialization;

namespace AviOrleans.Domain.Internal;

/// <summary>Reads and writes one <see cref="EquatableArray{T}"/> as a JSON array (null reads as empty).</summary>
internal sealed class EquatableArrayJsonConverter<T> : JsonConverter<EquatableArray<T>>
{
    public override EquatableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        var items = JsonSerializer.Deserialize<T[]>(ref reader, options);
        return items is null ? default : new EquatableArray<T>([.. items]);
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, options);
        }

        writer.WriteEndArray();
    }
}
