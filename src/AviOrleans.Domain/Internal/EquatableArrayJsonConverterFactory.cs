using System.Text.Json;
using System.Text.Json.Serialization;

namespace AviOrleans.Domain.Internal;

/// <summary>Lets System.Text.Json read and write <see cref="EquatableArray{T}"/> as a plain JSON array (for persisted placements).</summary>
internal sealed class EquatableArrayJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(EquatableArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(EquatableArrayJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}
