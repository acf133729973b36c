using System.Text.Json;
using Orleans.Serialization;

namespace AviOrleans.Grains;

/// <summary>
/// How the domain's records cross the wire: through Orleans' System.Text.Json codec. The domain
/// stays free of Orleans (no attributes, no surrogates to keep in step with it), its records are
/// already plain JSON values (the API's JSON and the old state file used the same shape), and JSON
/// tolerates a field added in a newer version during a rolling upgrade (missing fields take their
/// defaults, unknown ones are ignored). The grains' own types use Orleans' generated serializers.
/// </summary>
public static class AviSerializerBuilderExtensions
{
    /// <summary>The JSON options for domain records on the wire and in grain storage.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.General);

    /// <summary>Serializes and copies the domain's types (namespace <c>AviOrleans.Domain</c>) with System.Text.Json.</summary>
    public static ISerializerBuilder AddAviSerialization(this ISerializerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddJsonSerializer(IsDomainType, JsonOptions);
    }

    /// <summary>True for the domain's types.</summary>
    public static bool IsDomainType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return string.Equals(type.Namespace, "AviOrleans.Domain", StringComparison.Ordinal);
    }
}
