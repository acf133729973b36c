using System.Text.RegularExpressions;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>How the domain's validation verdicts become the control plane's exceptions.</summary>
internal static partial class DomainRules
{
    /// <summary>
    /// The exception for a refused change: a clash of names or addresses is ALREADY_EXISTS; a
    /// change only the current state forbids (moving an enabled virtual service, changing ha_mode
    /// while placed, disabling a legacy SE) is FAILED_PRECONDITION; anything else is a validation
    /// error. The committed configuration is always valid, so every violation is the change's.
    /// </summary>
    public static Exception ToException(ChangeValidationResult verdict, string kind, string name)
    {
        var mapped = verdict.Violations.Select(v => (v.Code, Violation: Relative(v, verdict.Proposed, kind, name))).ToArray();
        if (mapped.All(m => m.Code == ViolationCode.Duplicate) && mapped.FirstOrDefault(m => m.Violation.OtherObject is null) is { Violation: { } own })
        {
            return new HaObjectExistsException(own.Field, string.Join("; ", mapped.Select(m => m.Violation.Message)));
        }

        if (mapped.All(m => m.Code == ViolationCode.NotAllowed))
        {
            return new HaOperationRejectedException([.. mapped.Select(m => m.Violation)]);
        }

        return new HaValidationException([.. mapped.Select(m => m.Violation)]);
    }

    // The validator's paths index the whole configuration (virtualservice[3].vip[0].ip_address);
    // the API reports them on the object the caller changed, by field, or names the other object.
    private static HaViolation Relative(FieldViolation violation, HaConfiguration proposed, string kind, string name)
    {
        var match = ObjectPath().Match(violation.FieldPath);
        if (!match.Success)
        {
            return new HaViolation(violation.FieldPath, violation.Description, string.Empty);
        }

        var objectKind = match.Groups["kind"].Value;
        var index = int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rest = match.Groups["rest"].Value.TrimStart('.');
        var objectName = objectKind switch
        {
            "serviceenginegroup" => NameAt(proposed.ServiceEngineGroups, index, g => g.Name),
            "serviceengine" => NameAt(proposed.ServiceEngines, index, s => s.Name),
            "vsvip" => NameAt(proposed.VsVips, index, v => v.Name),
            "virtualservice" => NameAt(proposed.VirtualServices, index, v => v.Name),
            _ => null,
        };
        return string.Equals(objectKind, kind, StringComparison.Ordinal) && string.Equals(objectName, name, StringComparison.Ordinal)
            ? new HaViolation(rest, violation.Description)
            : new HaViolation(rest, violation.Description, $"{objectKind}[{objectName ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]");
    }

    private static string? NameAt<T>(EquatableArray<T> items, int index, Func<T, string> nameOf) =>
        index >= 0 && index < items.Count ? nameOf(items[index]) : null;

    [GeneratedRegex(@"^(?<kind>serviceenginegroup|serviceengine|vsvip|virtualservice)\[(?<index>\d+)\](?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectPath();
}
