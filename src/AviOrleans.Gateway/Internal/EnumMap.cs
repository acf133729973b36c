using Google.Protobuf.Reflection;
using D = AviOrleans.Domain;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// Maps API enums to domain enums and back through Avi's names, which both sides carry
/// (HA_MODE_SHARED is HA_MODE_SHARED on the wire and in the domain). The API's *_UNSPECIFIED
/// zero value means Avi's default on input.
/// </summary>
internal static class EnumMap
{
    /// <summary>
    /// The domain value for <paramref name="value"/>; <paramref name="defaultValue"/> for the
    /// zero value; a violation on <paramref name="field"/> for a number the API does not define.
    /// </summary>
    public static TDomain ToDomain<TApi, TDomain>(TApi value, TDomain defaultValue, string field, List<FieldViolation> violations)
        where TApi : struct, Enum
        where TDomain : struct, Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (number == 0)
        {
            return defaultValue;
        }

        var name = NameOf(value);
        if (name is not null && D.AviNames.TryParse<TDomain>(name, out var parsed))
        {
            return parsed;
        }

        violations.Add(new FieldViolation(field, $"{number} is not one of {string.Join(", ", D.AviNames.NamesOf<TDomain>())}."));
        return defaultValue;
    }

    /// <summary>The API value named like <paramref name="aviName"/> (Avi's name of a domain value).</summary>
    public static TApi ToApi<TApi>(string aviName)
        where TApi : struct, Enum
    {
        var descriptor = Descriptor<TApi>();
        var value = descriptor.FindValueByName(aviName)
            ?? throw new InvalidOperationException($"{descriptor.FullName} has no value {aviName}.");
        return (TApi)Enum.ToObject(typeof(TApi), value.Number);
    }

    private static string? NameOf<TApi>(TApi value)
        where TApi : struct, Enum =>
        Descriptor<TApi>().FindValueByNumber(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture))?.Name;

    private static EnumDescriptor Descriptor<TApi>()
        where TApi : struct, Enum =>
        Cache<TApi>.Descriptor;

    private static class Cache<TApi>
        where TApi : struct, Enum
    {
        public static readonly EnumDescriptor Descriptor = Api.AviApi.Files
            .SelectMany(f => f.EnumTypes)
            .First(e => e.ClrType == typeof(TApi));
    }
}
