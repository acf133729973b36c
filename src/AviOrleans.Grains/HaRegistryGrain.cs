using System.Collections.Immutable;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>The cluster's index of groups, shared VIP sets and SE-to-group (see <see cref="IHaRegistryGrain"/>).</summary>
internal sealed class HaRegistryGrain(
    [PersistentState("registry", HaRegistry.StorageName)] IPersistentState<HaRegistryState> state) : Grain, IHaRegistryGrain
{
    public Task AddGroupAsync(string name) => UpdateAsync(s => s.Groups = s.Groups.Add(name));

    public Task RemoveGroupAsync(string name) => UpdateAsync(s => s.Groups = s.Groups.Remove(name));

    public Task<ImmutableArray<string>> ListGroupsAsync() => Task.FromResult<ImmutableArray<string>>([.. state.State.Groups]);

    public Task ClaimServiceEngineAsync(string seName, string group)
    {
        if (state.State.Engines.TryGetValue(seName, out var owner) && !string.Equals(owner, group, StringComparison.Ordinal))
        {
            throw new HaObjectExistsException("name", $"serviceengine \"{seName}\" already exists (in serviceenginegroup \"{owner}\").");
        }

        return UpdateAsync(s => s.Engines = s.Engines.SetItem(seName, group));
    }

    public Task ReleaseServiceEngineAsync(string seName, string group) =>
        state.State.Engines.TryGetValue(seName, out var owner) && string.Equals(owner, group, StringComparison.Ordinal)
            ? UpdateAsync(s => s.Engines = s.Engines.Remove(seName))
            : Task.CompletedTask;

    public Task<string?> FindServiceEngineGroupAsync(string seName) => Task.FromResult(state.State.Engines.GetValueOrDefault(seName));

    public Task AddVsVipAsync(string name) => UpdateAsync(s => s.VsVips = s.VsVips.Add(name));

    public Task RemoveVsVipAsync(string name) => UpdateAsync(s => s.VsVips = s.VsVips.Remove(name));

    public Task<ImmutableArray<string>> ListVsVipsAsync() => Task.FromResult<ImmutableArray<string>>([.. state.State.VsVips]);

    private async Task UpdateAsync(Action<HaRegistryState> change)
    {
        var before = (state.State.Groups, state.State.VsVips, state.State.Engines);
        change(state.State);
        if (before != (state.State.Groups, state.State.VsVips, state.State.Engines))
        {
            await state.SaveAsync("the registry");
        }
    }
}

/// <summary>What the registry persists.</summary>
[GenerateSerializer, Alias("avi.HaRegistryState")]
internal sealed class HaRegistryState
{
    [Id(0)]
    public ImmutableSortedSet<string> Groups { get; set; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    [Id(1)]
    public ImmutableSortedSet<string> VsVips { get; set; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    [Id(2)]
    public ImmutableSortedDictionary<string, string> Engines { get; set; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
