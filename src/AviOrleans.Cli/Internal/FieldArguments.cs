using System.Globalization;
using AviOrleans.Api.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AviOrleans.Cli.Internal;

/// <summary>
/// Turns Avi-CLI style <c>field value</c> pairs (<c>ha_mode HA_MODE_SHARED max_vs_per_se 8</c>) into
/// a message and the field-mask paths they name, from the message's descriptor: every Avi field the
/// API has is settable without a flag of its own.
/// </summary>
internal static class FieldArguments
{
    /// <summary>
    /// Sets the fields named in <paramref name="pairs"/> on <paramref name="message"/> and returns
    /// their names in order. Throws <see cref="UsageException"/> for an unknown, read-only or
    /// repeated-without-value field, or a value of the wrong kind.
    /// </summary>
    public static IReadOnlyList<string> Apply(IMessage message, IReadOnlyList<string> pairs, IReadOnlySet<string> readOnly)
    {
        if (pairs.Count % 2 != 0)
        {
            throw new UsageException($"Field \"{pairs[^1]}\" has no value: give fields as pairs, e.g. max_vs_per_se 8.");
        }

        var descriptor = message.Descriptor;
        var paths = new List<string>();
        var cleared = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Count; i += 2)
        {
            var name = pairs[i].ToLowerInvariant();
            var field = descriptor.FindFieldByName(name);
            if (field is null || name == "name")
            {
                throw new UsageException($"\"{pairs[i]}\" is not a field of {descriptor.Name}. Fields: {string.Join(", ", Settable(descriptor, readOnly))}.");
            }

            if (readOnly.Contains(name))
            {
                throw new UsageException($"\"{name}\" is output only and cannot be set.");
            }

            var text = pairs[i + 1];
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                if (cleared.Add(name))
                {
                    list.Clear();
                }

                // "none" or "" empties a list; "a,b" or a repeated pair adds items. A JSON object is one item (its
                // commas are its own); a JSON array is its items.
                if (text.Length > 0 && !text.Equals("none", StringComparison.OrdinalIgnoreCase))
                {
                    var index = list.Count;
                    var json = field.FieldType == FieldType.Message && field.MessageType != Vip.Descriptor;
                    var items = json ? JsonItems(text) : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    foreach (var item in items)
                    {
                        list.Add(Parse(field, item, index++));
                    }
                }
            }
            else
            {
                field.Accessor.SetValue(message, Parse(field, text, 0));
            }

            if (!paths.Contains(name))
            {
                paths.Add(name);
            }
        }

        return paths;
    }

    // '{...}' is one object; '[{...}, {...}]' several (each re-serialised for the protobuf JSON parser).
    private static IEnumerable<string> JsonItems(string text)
    {
        if (!text.TrimStart().StartsWith('['))
        {
            return [text];
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return [.. document.RootElement.EnumerateArray().Select(e => e.GetRawText())];
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UsageException($"\"{text}\" is not a JSON array: {ex.Message}");
        }
    }

    /// <summary>The fields a user may set on <paramref name="descriptor"/>.</summary>
    public static IEnumerable<string> Settable(MessageDescriptor descriptor, IReadOnlySet<string> readOnly) =>
        descriptor.Fields.InFieldNumberOrder().Select(f => f.Name).Where(n => n != "name" && !readOnly.Contains(n));

    private static object Parse(FieldDescriptor field, string text, int index)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                return text;
            case FieldType.Bool:
                return ParseBool(field.Name, text);
            case FieldType.Int32:
            case FieldType.SInt32:
            case FieldType.SFixed32:
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                    ? i : throw new UsageException($"{field.Name}: \"{text}\" is not a whole number.");
            case FieldType.UInt32:
            case FieldType.Fixed32:
                return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                    ? u : throw new UsageException($"{field.Name}: \"{text}\" is not a non-negative whole number.");
            case FieldType.Enum:
                return ParseEnum(field, text);
            case FieldType.Message when field.MessageType == Vip.Descriptor:
                return ParseVip(text, index);
            case FieldType.Message:
                // Other objects (pool_servers, pool_health_monitors, gateway_mon) as their JSON, with the API's field
                // names: '{"gateway_ip": "192.0.2.1", "gateway_monitor_interval": 500}'.
                try
                {
                    return JsonParser.Default.Parse(text, field.MessageType);
                }
                catch (InvalidProtocolBufferException ex)
                {
                    throw new UsageException($"{field.Name}: \"{text}\" is not a JSON {field.MessageType.Name}: {ex.Message}");
                }
                catch (InvalidJsonException ex)
                {
                    throw new UsageException($"{field.Name}: \"{text}\" is not a JSON {field.MessageType.Name}: {ex.Message}");
                }

            default:
                throw new UsageException($"{field.Name} cannot be set from the command line.");
        }
    }

    private static bool ParseBool(string field, string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" or "enable" or "enabled" => true,
        "false" or "no" or "off" or "0" or "disable" or "disabled" => false,
        _ => throw new UsageException($"{field}: \"{text}\" is not true or false."),
    };

    // Avi's CLI takes enum values in lower case (ha_mode_shared); the full upper-case name and the
    // short form without the common prefix (shared) are accepted too.
    private static object ParseEnum(FieldDescriptor field, string text)
    {
        var values = field.EnumType.Values.Where(v => v.Number != 0).ToArray();
        var upper = text.ToUpperInvariant();
        var match = values.FirstOrDefault(v => v.Name == upper)
            ?? values.FirstOrDefault(v => v.Name.EndsWith("_" + upper, StringComparison.Ordinal));
        if (match is null)
        {
            throw new UsageException($"{field.Name}: \"{text}\" is not one of {string.Join(", ", values.Select(v => v.Name))}.");
        }

        return Enum.ToObject(field.EnumType.ClrType, match.Number);
    }

    // A VIP is written [VIP_ID=]ADDRESS[/disabled]; without an id, VIPs are numbered 0, 1, ...
    private static Vip ParseVip(string text, int index)
    {
        var vip = new Vip();
        var body = text;
        var slash = body.LastIndexOf('/');
        if (slash >= 0)
        {
            var flag = body[(slash + 1)..];
            vip.Enabled = ParseBool("vip", flag);
            body = body[..slash];
        }

        var eq = body.IndexOf('=', StringComparison.Ordinal);
        vip.VipId = eq >= 0 ? body[..eq] : index.ToString(CultureInfo.InvariantCulture);
        vip.IpAddress = eq >= 0 ? body[(eq + 1)..] : body;
        if (vip.IpAddress.Length == 0 || vip.VipId.Length == 0)
        {
            throw new UsageException($"vip: \"{text}\" is not [VIP_ID=]ADDRESS[/enabled|/disabled].");
        }

        return vip;
    }
}
