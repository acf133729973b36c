using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// Applies an Update request's field mask (AIP-134) to a resource: the paths are the resource's
/// top-level field names (Avi's names); a path that names no field, an immutable field or an
/// output-only field is refused, all of them reported at once.
/// </summary>
internal static class FieldMasks
{
    /// <summary>The path that replaces every updatable field.</summary>
    public const string Wildcard = "*";

    /// <summary>
    /// The fields an update changes. An empty mask means every field set in
    /// <paramref name="patch"/> (AIP-134's implied mask).
    /// </summary>
    public static IReadOnlyList<FieldDescriptor> Resolve(
        IMessage patch,
        FieldMask? mask,
        IReadOnlySet<string> immutable,
        IReadOnlySet<string> outputOnly)
    {
        var descriptor = patch.Descriptor;
        bool Updatable(FieldDescriptor f) => !immutable.Contains(f.Name) && !outputOnly.Contains(f.Name);

        if (mask is null || mask.Paths.Count == 0)
        {
            return [.. descriptor.Fields.InFieldNumberOrder().Where(f => Updatable(f) && IsPopulated(f, patch))];
        }

        var violations = new List<FieldViolation>();
        var fields = new List<FieldDescriptor>();
        for (var i = 0; i < mask.Paths.Count; i++)
        {
            var path = mask.Paths[i];
            var field = "update_mask.paths[" + i + "]";
            if (path == Wildcard)
            {
                if (mask.Paths.Count != 1)
                {
                    violations.Add(new(field, "\"*\" must be the only path."));
                }

                fields.AddRange(descriptor.Fields.InFieldNumberOrder().Where(Updatable));
                continue;
            }

            var target = descriptor.FindFieldByName(path);
            if (target is null)
            {
                violations.Add(new(field, path.Contains('.', StringComparison.Ordinal)
                    ? $"\"{path}\": only top-level fields of {descriptor.Name} can be updated."
                    : $"\"{path}\" is not a field of {descriptor.Name}."));
            }
            else if (immutable.Contains(path))
            {
                violations.Add(new(field, $"\"{path}\" cannot be changed."));
            }
            else if (outputOnly.Contains(path))
            {
                violations.Add(new(field, $"\"{path}\" is output only."));
            }
            else if (!fields.Contains(target))
            {
                fields.Add(target);
            }
        }

        if (violations.Count > 0)
        {
            throw new InvalidRequestException(violations);
        }

        return fields;
    }

    /// <summary>A copy of <paramref name="current"/> with <paramref name="fields"/> taken from <paramref name="patch"/>.</summary>
    public static T Apply<T>(T current, T patch, IReadOnlyList<FieldDescriptor> fields)
        where T : IMessage<T>, IDeepCloneable<T>
    {
        var result = current.Clone();
        foreach (var field in fields)
        {
            var accessor = field.Accessor;
            if (field.IsRepeated)
            {
                var target = (IList)accessor.GetValue(result);
                target.Clear();
                foreach (var item in (IList)accessor.GetValue(patch))
                {
                    target.Add(item);
                }
            }
            else if (field.HasPresence && !accessor.HasValue(patch))
            {
                // An optional field left out of the patch goes back to Avi's default.
                accessor.Clear(result);
            }
            else
            {
                accessor.SetValue(result, accessor.GetValue(patch));
            }
        }

        return result;
    }

    private static bool IsPopulated(FieldDescriptor field, IMessage message)
    {
        var value = field.Accessor.GetValue(message);
        if (field.IsRepeated)
        {
            return ((IList)value).Count > 0;
        }

        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        return field.FieldType switch
        {
            FieldType.String => ((string)value).Length > 0,
            FieldType.Bool => (bool)value,
            FieldType.Bytes => ((ByteString)value).Length > 0,
            FieldType.Enum => System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) != 0,
            FieldType.Message or FieldType.Group => value is not null,
            _ => System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) != 0,
        };
    }
}
