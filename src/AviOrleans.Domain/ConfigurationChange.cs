namespace AviOrleans.Domain;

/// <summary>
/// A change to a configuration: objects to create or replace (matched by name) and names to delete. Applying it
/// is pure; <see cref="ConfigurationValidator.Validate(ConfigurationChange, HaConfiguration, IEnumerable{GroupPlacement}?)"/>
/// decides whether it may be applied.
/// </summary>
public sealed record ConfigurationChange
{
    /// <summary>Groups to create or replace.</summary>
    public EquatableArray<ServiceEngineGroup> UpsertServiceEngineGroups { get; init; }

    /// <summary>SEs to create or replace.</summary>
    public EquatableArray<ServiceEngine> UpsertServiceEngines { get; init; }

    /// <summary>Shared VIP sets to create or replace.</summary>
    public EquatableArray<VsVip> UpsertVsVips { get; init; }

    /// <summary>VSs to create or replace.</summary>
    public EquatableArray<VirtualService> UpsertVirtualServices { get; init; }

    /// <summary>Names of groups to delete.</summary>
    public EquatableArray<string> DeleteServiceEngineGroups { get; init; }

    /// <summary>Names of SEs to delete.</summary>
    public EquatableArray<string> DeleteServiceEngines { get; init; }

    /// <summary>Names of shared VIP sets to delete.</summary>
    public EquatableArray<string> DeleteVsVips { get; init; }

    /// <summary>Names of VSs to delete.</summary>
    public EquatableArray<string> DeleteVirtualServices { get; init; }

    /// <summary>The configuration after this change (replaced objects keep their position; new ones are appended).</summary>
    public HaConfiguration ApplyTo(HaConfiguration current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            ServiceEngineGroups = Merge(current.ServiceEngineGroups, UpsertServiceEngineGroups, DeleteServiceEngineGroups, g => g.Name),
            ServiceEngines = Merge(current.ServiceEngines, UpsertServiceEngines, DeleteServiceEngines, s => s.Name),
            VsVips = Merge(current.VsVips, UpsertVsVips, DeleteVsVips, v => v.Name),
            VirtualServices = Merge(current.VirtualServices, UpsertVirtualServices, DeleteVirtualServices, v => v.Name),
        };
    }

    private static EquatableArray<T> Merge<T>(EquatableArray<T> current, EquatableArray<T> upserts, EquatableArray<string> deletes, Func<T, string> name)
    {
        if (upserts.IsEmpty && deletes.IsEmpty)
        {
            return current;
        }

        var deleted = new HashSet<string>(deletes, StringComparer.Ordinal);
        var replacements = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in upserts)
        {
            replacements[name(item)] = item;
        }

        var result = new List<T>(current.Count + upserts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in current)
        {
            var key = name(item);
            if (deleted.Contains(key))
            {
                continue;
            }

            result.Add(replacements.TryGetValue(key, out var replacement) ? replacement : item);
            seen.Add(key);
        }

        foreach (var item in upserts)
        {
            var key = name(item);
            if (!deleted.Contains(key) && seen.Add(key))
            {
                result.Add(replacements[key]);
            }
        }

        return result.ToEquatableArray();
    }
}
