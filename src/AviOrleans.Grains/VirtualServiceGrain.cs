using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.Internal;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grains;

/// <summary>
/// A virtual service: the way in for creating, changing and deleting it (its name is unique since
/// its grain is), its committed configuration, and its placement history. A change is written as
/// pending first, then its addresses are claimed and its group decides; a change interrupted
/// half-way is settled with the group when the grain next activates.
/// </summary>
internal sealed class VirtualServiceGrain(
    [PersistentState("virtualservice", HaRegistry.StorageName)] IPersistentState<VirtualServiceState> state,
    IOptions<AviGrainsOptions> options) : Grain, IVirtualServiceGrain
{
    private const string Kind = "virtualservice";

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending is { } pending)
        {
            // Interrupted: the group's copy says how far the change went.
            var committed = await GrainFactory.GetGrain<IServiceEngineGroupGrain>(pending.SeGroupRef).FindVirtualServiceAsync(Name);
            var config = committed is not null && committed.Equals(pending) ? pending : state.State.Config;
            await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(pending).Except(config is null ? [] : AddressUse.Of(config)));
            state.State.Config = config;
            state.State.Pending = null;
            await state.SaveAsync($"virtualservice \"{Name}\"", cancellationToken);
        }
    }

    public async Task<VirtualService> CreateAsync(VirtualService virtualService, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        CheckKey(virtualService.Name);
        if (state.State.Config is not null)
        {
            throw new HaObjectExistsException("name", $"{Kind} \"{Name}\" already exists.");
        }

        await ValidateAsync(virtualService);
        var group = GrainFactory.GetGrain<IServiceEngineGroupGrain>(virtualService.SeGroupRef);
        if (validateOnly)
        {
            await group.PutVirtualServiceAsync(null, virtualService, await PeekVsVipAsync(virtualService), validateOnly: true);
            return virtualService;
        }

        await ChangeAsync(null, virtualService, set => group.PutVirtualServiceAsync(null, virtualService, set, validateOnly: false));
        return virtualService;
    }

    public Task<VirtualService> GetAsync() =>
        Task.FromResult(state.State.Config ?? throw new HaObjectNotFoundException(Kind, Name));

    public async Task<VirtualService> UpdateAsync(VirtualService expected, VirtualService updated, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        CheckKey(updated.Name);
        var current = state.State.Config ?? throw new HaObjectNotFoundException(Kind, Name);
        if (!current.Equals(expected))
        {
            throw new HaConflictException($"{Kind} \"{Name}\" was changed by someone else since it was read; read it again and retry.");
        }

        await ValidateAsync(updated);
        var moving = !string.Equals(current.SeGroupRef, updated.SeGroupRef, StringComparison.Ordinal);
        if (moving && current.Enabled && updated.Enabled)
        {
            // AS-09, as the domain's transition rule says it.
            throw new HaOperationRejectedException([new HaViolation("se_group_ref", $"virtual service {Name} is enabled: disable it before moving it from group {current.SeGroupRef} to {updated.SeGroupRef}")]);
        }

        var group = GrainFactory.GetGrain<IServiceEngineGroupGrain>(updated.SeGroupRef);
        if (validateOnly)
        {
            await group.PutVirtualServiceAsync(moving ? null : current, updated, await PeekVsVipAsync(updated), validateOnly: true);
            return updated;
        }

        await ChangeAsync(current, updated, async set =>
        {
            await group.PutVirtualServiceAsync(moving ? null : current, updated, set ?? (moving ? await PeekVsVipAsync(updated) : null), validateOnly: false);
            if (moving)
            {
                await GrainFactory.GetGrain<IServiceEngineGroupGrain>(current.SeGroupRef).RemoveVirtualServiceAsync(Name);
            }
        });
        return updated;
    }

    public async Task DeleteAsync()
    {
        var current = state.State.Config ?? throw new HaObjectNotFoundException(Kind, Name);
        await GrainFactory.GetGrain<IServiceEngineGroupGrain>(current.SeGroupRef).RemoveVirtualServiceAsync(Name);
        if (current.VsvipRef is { } vsVip)
        {
            await GrainFactory.GetGrain<IVsVipGrain>(vsVip).DetachAsync(Name);
        }

        await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(current));
        await state.ForgetAsync($"virtualservice \"{Name}\"");
        state.State = new VirtualServiceState();
    }

    public async Task RecordAsync(PlacementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var history = state.State.History;
        var index = history.ToList().FindIndex(r => r.Epoch == record.Epoch && string.Equals(r.SeGroupRef, record.SeGroupRef, StringComparison.Ordinal));
        if (index >= 0)
        {
            history = history.SetItem(index, record);
        }
        else if (history.IsEmpty || history[^1].Epoch < record.Epoch || !string.Equals(history[^1].SeGroupRef, record.SeGroupRef, StringComparison.Ordinal))
        {
            history = history.Add(record);
        }
        else
        {
            return; // older than what is recorded: it arrived late
        }

        var keep = Math.Max(1, options.Value.HistoryLength);
        state.State.History = history.Length > keep ? history.RemoveRange(0, history.Length - keep) : history;
        if (state.State.Config is not null || state.State.Pending is not null)
        {
            await state.SaveAsync($"virtualservice \"{Name}\"");
        }
    }

    public Task<ImmutableArray<PlacementRecord>> GetHistoryAsync() => Task.FromResult(state.State.History);

    public Task<bool> UsesAddressAsync(string canonicalAddress) =>
        Task.FromResult(new[] { state.State.Config, state.State.Pending }.OfType<VirtualService>()
            .SelectMany(AddressUse.Of).Any(u => string.Equals(u.Canonical, canonicalAddress, StringComparison.Ordinal)));

    /// <summary>Pending first, then claims and the shared VIP set, then the group; undone in reverse when the group refuses.</summary>
    private async Task ChangeAsync(VirtualService? current, VirtualService next, Func<VsVip?, Task> decide)
    {
        state.State.Pending = next;
        await state.SaveAsync($"virtualservice \"{Name}\"");
        var claimed = false;
        var attached = false;
        try
        {
            await ClaimSet.ClaimAsync(GrainFactory, Kind, Name, AddressUse.Of(next), current is null ? null : held => AddressUse.Of(current).Any(u => u.Canonical == held.Canonical));
            claimed = true;
            VsVip? set = null;
            if (next.VsvipRef is { } vsVip && !string.Equals(vsVip, current?.VsvipRef, StringComparison.Ordinal))
            {
                set = await GrainFactory.GetGrain<IVsVipGrain>(vsVip).AttachAsync(Name, next.SeGroupRef, "vsvip_ref");
                attached = true;
            }

            await decide(set);
        }
        catch
        {
            if (attached)
            {
                await GrainFactory.GetGrain<IVsVipGrain>(next.VsvipRef!).DetachAsync(Name);
            }

            if (claimed)
            {
                await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(next).Where(u => current is null || !AddressUse.Of(current).Any(c => c.Canonical == u.Canonical)));
            }

            state.State.Pending = null;
            await state.SaveAsync($"virtualservice \"{Name}\"");
            throw;
        }

        if (current is not null)
        {
            await ClaimSet.ReleaseAsync(GrainFactory, Kind, Name, AddressUse.Of(current).Where(u => !AddressUse.Of(next).Any(n => n.Canonical == u.Canonical)));
            if (current.VsvipRef is { } old && !string.Equals(old, next.VsvipRef, StringComparison.Ordinal))
            {
                await GrainFactory.GetGrain<IVsVipGrain>(old).DetachAsync(Name);
            }
        }

        state.State.Config = next;
        state.State.Pending = null;
        await state.SaveAsync($"virtualservice \"{Name}\"");
    }

    /// <summary>The virtual service on its own, and its references: every problem at once, as the domain words them.</summary>
    private async Task ValidateAsync(VirtualService vs)
    {
        var violations = ConfigurationValidator.ValidateVirtualService(vs, "virtualservice[0]")
            .Select(v => new HaViolation(v.FieldPath["virtualservice[0]".Length..].TrimStart('.'), v.Description))
            .ToList();
        if (!string.IsNullOrWhiteSpace(vs.SeGroupRef) && !await GroupExistsAsync(vs.SeGroupRef))
        {
            violations.Add(new HaViolation("se_group_ref", $"service engine group '{vs.SeGroupRef}' does not exist"));
        }

        if (vs.VsvipRef is { } r && !await VsVipExistsAsync(r))
        {
            violations.Add(new HaViolation("vsvip_ref", $"vsvip '{r}' does not exist"));
        }

        if (violations.Count > 0)
        {
            throw new HaValidationException(violations);
        }
    }

    private async Task<bool> GroupExistsAsync(string group)
    {
        try
        {
            await GrainFactory.GetGrain<IServiceEngineGroupGrain>(group).GetAsync();
            return true;
        }
        catch (HaObjectNotFoundException)
        {
            return false;
        }
    }

    private async Task<bool> VsVipExistsAsync(string name) => await PeekVsVipAsync(name) is not null;

    private Task<VsVip?> PeekVsVipAsync(VirtualService vs) => vs.VsvipRef is { } r ? PeekVsVipAsync(r) : Task.FromResult<VsVip?>(null);

    private async Task<VsVip?> PeekVsVipAsync(string name)
    {
        try
        {
            return await GrainFactory.GetGrain<IVsVipGrain>(name).GetAsync();
        }
        catch (HaObjectNotFoundException)
        {
            return null;
        }
    }

    private void CheckKey(string name)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Virtual service grain {Name} was asked about {name}.", nameof(name));
        }
    }
}

/// <summary>What a virtual service grain persists.</summary>
[GenerateSerializer, Alias("avi.VirtualServiceState")]
internal sealed class VirtualServiceState
{
    /// <summary>The committed configuration; null when the virtual service does not exist.</summary>
    [Id(0)]
    public VirtualService? Config { get; set; }

    /// <summary>A change in flight (its addresses count as used until it is settled).</summary>
    [Id(1)]
    public VirtualService? Pending { get; set; }

    /// <summary>The placement records, oldest first.</summary>
    [Id(2)]
    public ImmutableArray<PlacementRecord> History { get; set; } = [];
}
