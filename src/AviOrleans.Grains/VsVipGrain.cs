using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>A shared VIP set and the virtual services (of one group) that use it.</summary>
internal sealed class VsVipGrain(
    [PersistentState("vsvip", HaRegistry.StorageName)] IPersistentState<VsVipState> state) : Grain, IVsVipGrain
{
    private const string Kind = "vsvip";

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending is { } pending)
        {
            // Interrupted before it was committed: the set keeps its last committed value.
            var config = state.State.Config;
            await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(pending).Where(u => config is null || !AddressUse.Of(config).Any(c => c.Canonical == u.Canonical)));
            state.State.Pending = null;
            await state.SaveAsync($"vsvip \"{Name}\"", cancellationToken);
        }
    }

    public async Task<VsVip> CreateAsync(VsVip vsVip, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(vsVip);
        CheckKey(vsVip.Name);
        if (state.State.Config is not null)
        {
            throw new HaObjectExistsException("name", $"{Kind} \"{Name}\" already exists.");
        }

        Validate(vsVip);
        if (!validateOnly)
        {
            await ChangeAsync(null, vsVip);
        }

        return vsVip;
    }

    public Task<VsVip> GetAsync() => Task.FromResult(state.State.Config ?? throw new HaObjectNotFoundException(Kind, Name));

    public async Task<VsVip> UpdateAsync(VsVip expected, VsVip updated, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        CheckKey(updated.Name);
        var current = state.State.Config ?? throw new HaObjectNotFoundException(Kind, Name);
        if (!current.Equals(expected))
        {
            throw new HaConflictException($"{Kind} \"{Name}\" was changed by someone else since it was read; read it again and retry.");
        }

        Validate(updated);
        if (validateOnly)
        {
            return updated;
        }

        await ChangeAsync(current, updated);
        foreach (var group in state.State.Users.Values.Distinct(StringComparer.Ordinal))
        {
            await GrainFactory.GetGrain<IServiceEngineGroupGrain>(group).PutVsVipAsync(updated);
        }

        return updated;
    }

    public async Task DeleteAsync()
    {
        var current = state.State.Config ?? throw new HaObjectNotFoundException(Kind, Name);
        if (!state.State.Users.IsEmpty)
        {
            throw new HaOperationRejectedException($"{Kind} \"{Name}\" is used by virtualservice {string.Join(", ", state.State.Users.Keys.Select(u => "\"" + u + "\""))}.");
        }

        await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(current));
        await state.ForgetAsync($"vsvip \"{Name}\"");
        state.State = new VsVipState();
    }

    public async Task<VsVip> AttachAsync(string vsName, string group, string field)
    {
        var current = state.State.Config ?? throw new HaValidationException(field, $"vsvip '{Name}' does not exist");
        var other = state.State.Users.FirstOrDefault(u => !string.Equals(u.Key, vsName, StringComparison.Ordinal) && !string.Equals(u.Value, group, StringComparison.Ordinal));
        if (other.Key is not null)
        {
            throw new HaValidationException("se_group_ref", $"virtual services sharing vsvip {Name} must be in one group: {other.Key} is in {other.Value}");
        }

        if (!string.Equals(state.State.Users.GetValueOrDefault(vsName), group, StringComparison.Ordinal))
        {
            state.State.Users = state.State.Users.SetItem(vsName, group);
            await state.SaveAsync($"vsvip \"{Name}\"");
        }

        return current;
    }

    public async Task DetachAsync(string vsName)
    {
        if (state.State.Users.ContainsKey(vsName))
        {
            state.State.Users = state.State.Users.Remove(vsName);
            await state.SaveAsync($"vsvip \"{Name}\"");
        }
    }

    public Task<bool> UsesAddressAsync(string canonicalAddress) =>
        Task.FromResult(new[] { state.State.Config, state.State.Pending }.OfType<VsVip>()
            .SelectMany(AddressUse.Of).Any(u => string.Equals(u.Canonical, canonicalAddress, StringComparison.Ordinal)));

    private async Task ChangeAsync(VsVip? current, VsVip next)
    {
        state.State.Pending = next;
        await state.SaveAsync($"vsvip \"{Name}\"");
        try
        {
            await ClaimSet.ClaimAsync(GrainFactory, Kind, Name, AddressUse.Of(next), current is null ? null : held => AddressUse.Of(current).Any(u => u.Canonical == held.Canonical));
        }
        catch
        {
            state.State.Pending = null;
            await state.SaveAsync($"vsvip \"{Name}\"");
            throw;
        }

        if (current is not null)
        {
            await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(current).Where(u => !AddressUse.Of(next).Any(n => n.Canonical == u.Canonical)));
        }

        state.State.Config = next;
        state.State.Pending = null;
        await state.SaveAsync($"vsvip \"{Name}\"");
    }

    private static void Validate(VsVip vsVip)
    {
        var violations = ConfigurationValidator.ValidateVsVip(vsVip, "vsvip[0]");
        if (violations.Count > 0)
        {
            throw new HaValidationException([.. violations.Select(v => new HaViolation(v.FieldPath["vsvip[0]".Length..].TrimStart('.'), v.Description))]);
        }
    }

    private void CheckKey(string name)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"VsVip grain {Name} was asked about {name}.", nameof(name));
        }
    }
}

/// <summary>What a shared VIP set's grain persists.</summary>
[GenerateSerializer, Alias("avi.VsVipState")]
internal sealed class VsVipState
{
    [Id(0)]
    public VsVip? Config { get; set; }

    [Id(1)]
    public VsVip? Pending { get; set; }

    /// <summary>The virtual services that use the set, and their group.</summary>
    [Id(2)]
    public ImmutableSortedDictionary<string, string> Users { get; set; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
