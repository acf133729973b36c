using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// A group's configuration as one immutable value: the group, its SEs, its virtual services and
/// the shared VIP sets they use. Changes are O(log n) and return a new value; the domain's
/// validator and engine see it as an <see cref="HaConfiguration"/> of one group.
/// </summary>
internal sealed record GroupConfig(
    ServiceEngineGroup? Group,
    ImmutableSortedDictionary<string, ServiceEngine> Engines,
    ImmutableSortedDictionary<string, VirtualService> VirtualServices,
    ImmutableSortedDictionary<string, VsVip> VsVips)
{
    public static GroupConfig Empty { get; } = new(
        null,
        ImmutableSortedDictionary.Create<string, ServiceEngine>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, VirtualService>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, VsVip>(StringComparer.Ordinal));

    public HaConfiguration ToHaConfiguration() => new()
    {
        ServiceEngineGroups = Group is null ? default : [Group],
        ServiceEngines = [.. Engines.Values],
        VsVips = [.. VsVips.Values],
        VirtualServices = [.. VirtualServices.Values],
    };

    /// <summary>Applies a change (objects matched by name), as <see cref="ConfigurationChange.ApplyTo"/> does for a whole configuration.</summary>
    public GroupConfig Apply(ConfigurationChange change)
    {
        var group = Group;
        foreach (var name in change.DeleteServiceEngineGroups)
        {
            if (group is not null && string.Equals(group.Name, name, StringComparison.Ordinal))
            {
                group = null;
            }
        }

        foreach (var upsert in change.UpsertServiceEngineGroups)
        {
            group = upsert;
        }

        return new GroupConfig(
            group,
            Merge(Engines, change.UpsertServiceEngines, change.DeleteServiceEngines, s => s.Name),
            Merge(VirtualServices, change.UpsertVirtualServices, change.DeleteVirtualServices, v => v.Name),
            Merge(VsVips, change.UpsertVsVips, change.DeleteVsVips, v => v.Name));
    }

    private static ImmutableSortedDictionary<string, T> Merge<T>(ImmutableSortedDictionary<string, T> items, EquatableArray<T> upserts, EquatableArray<string> deletes, Func<T, string> nameOf)
    {
        if (upserts.IsEmpty && deletes.IsEmpty)
        {
            return items;
        }

        var builder = items.ToBuilder();
        foreach (var name in deletes)
        {
            builder.Remove(name);
        }

        foreach (var item in upserts)
        {
            builder[nameOf(item)] = item;
        }

        return builder.ToImmutable();
    }
}
