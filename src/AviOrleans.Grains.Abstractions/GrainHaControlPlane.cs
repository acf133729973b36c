using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// <see cref="IHaControlPlane"/> on the HA grains, through any <see cref="IGrainFactory"/>: a silo's
/// own (a co-hosted gateway) or an Orleans client's (a gateway-only process). It holds no state of
/// its own: a gateway process can be replaced at any time and nothing is lost.
/// </summary>
public sealed partial class GrainHaControlPlane : IHaControlPlane
{
    private const string GroupKind = "serviceenginegroup";
    private const string EngineKind = "serviceengine";
    private const string VirtualServiceKind = "virtualservice";
    private const string VsVipKind = "vsvip";

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;

    /// <summary>Creates the control plane over <paramref name="grains"/>.</summary>
    public GrainHaControlPlane(IGrainFactory grains, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How long one long poll of a watch waits for a change. Default: 10 seconds.</summary>
    public TimeSpan WatchPollWait { get; init; } = TimeSpan.FromSeconds(10);

    private IHaRegistryGrain Registry => _grains.GetGrain<IHaRegistryGrain>(HaRegistry.Key);

    private IServiceEngineGroupGrain Group(string name) => _grains.GetGrain<IServiceEngineGroupGrain>(RequireKey(name, GroupKind));

    // ---- groups ------------------------------------------------------------------------------

    /// <inheritdoc/>
    public async Task<ServiceEngineGroup> CreateServiceEngineGroupAsync(ServiceEngineGroup group, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        RequireName(group.Name, ConfigurationValidator.ValidateServiceEngineGroup(group, "serviceenginegroup[0]"), "serviceenginegroup[0]");
        if (validateOnly)
        {
            return await Group(group.Name).CreateAsync(group, validateOnly: true).WaitAsync(cancellationToken);
        }

        await Registry.AddGroupAsync(group.Name).WaitAsync(cancellationToken);
        try
        {
            return await Group(group.Name).CreateAsync(group, validateOnly: false).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not HaObjectExistsException { Field: "name" })
        {
            await ForgetGroupIfMissingAsync(group.Name);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<ServiceEngineGroup> GetServiceEngineGroupAsync(string name, CancellationToken cancellationToken) =>
        Group(name).GetAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ServiceEngineGroup>> ListServiceEngineGroupsAsync(CancellationToken cancellationToken) =>
        [.. (await EachGroupAsync(g => g.GetAsync(), cancellationToken)).OrderBy(g => g.Name, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public Task<ServiceEngineGroup> UpdateServiceEngineGroupAsync(ServiceEngineGroup expected, ServiceEngineGroup updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        return Group(updated.Name).UpdateAsync(expected, updated, validateOnly).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task DeleteServiceEngineGroupAsync(string name, CancellationToken cancellationToken)
    {
        await Group(name).DeleteAsync().WaitAsync(cancellationToken);
        await Registry.RemoveGroupAsync(name).WaitAsync(cancellationToken);
    }

    // ---- service engines -----------------------------------------------------------------------

    /// <inheritdoc/>
    public async Task<ServiceEngine> CreateServiceEngineAsync(ServiceEngine engine, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        RequireName(engine.Name, ConfigurationValidator.ValidateServiceEngine(engine, "serviceengine[0]"), "serviceengine[0]");
        await RequireGroupReferenceAsync(engine.SeGroupRef, cancellationToken);
        if (validateOnly)
        {
            if (await Registry.FindServiceEngineGroupAsync(engine.Name).WaitAsync(cancellationToken) is not null)
            {
                throw new HaObjectExistsException("name", $"{EngineKind} \"{engine.Name}\" already exists.");
            }

            return await Group(engine.SeGroupRef).PutServiceEngineAsync(null, engine, validateOnly: true).WaitAsync(cancellationToken);
        }

        await Registry.ClaimServiceEngineAsync(engine.Name, engine.SeGroupRef).WaitAsync(cancellationToken);
        try
        {
            return await Group(engine.SeGroupRef).PutServiceEngineAsync(null, engine, validateOnly: false).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not HaObjectExistsException { Field: "name" })
        {
            await Registry.ReleaseServiceEngineAsync(engine.Name, engine.SeGroupRef);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<ServiceEngine> GetServiceEngineAsync(string name, CancellationToken cancellationToken) =>
        await FindEngineAsync(name, cancellationToken) ?? throw new HaObjectNotFoundException(EngineKind, name);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ServiceEngine>> ListServiceEnginesAsync(string? seGroupRef, CancellationToken cancellationToken)
    {
        if (seGroupRef is not null)
        {
            return await Group(seGroupRef).ListServiceEnginesAsync().WaitAsync(cancellationToken);
        }

        return [.. (await EachGroupAsync(g => g.ListServiceEnginesAsync(), cancellationToken)).SelectMany(s => s).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async Task<ServiceEngine> UpdateServiceEngineAsync(ServiceEngine expected, ServiceEngine updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var current = await GetServiceEngineAsync(updated.Name, cancellationToken);
        if (string.Equals(current.SeGroupRef, updated.SeGroupRef, StringComparison.Ordinal))
        {
            return await Group(updated.SeGroupRef).PutServiceEngineAsync(expected, updated, validateOnly).WaitAsync(cancellationToken);
        }

        // Moving to another group: the new group takes it, then the old one lets it go.
        if (!current.Equals(expected))
        {
            throw new HaConflictException($"{EngineKind} \"{updated.Name}\" was changed by someone else since it was read; read it again and retry.");
        }

        await RequireGroupReferenceAsync(updated.SeGroupRef, cancellationToken);
        var stored = await Group(updated.SeGroupRef).PutServiceEngineAsync(null, updated, validateOnly).WaitAsync(cancellationToken);
        if (!validateOnly)
        {
            await Group(current.SeGroupRef).RemoveServiceEngineAsync(updated.Name).WaitAsync(cancellationToken);
            await Registry.ReleaseServiceEngineAsync(updated.Name, current.SeGroupRef).WaitAsync(cancellationToken);
            await Registry.ClaimServiceEngineAsync(updated.Name, updated.SeGroupRef).WaitAsync(cancellationToken);
        }

        return stored;
    }

    /// <inheritdoc/>
    public async Task DeleteServiceEngineAsync(string name, CancellationToken cancellationToken)
    {
        var current = await GetServiceEngineAsync(name, cancellationToken);
        await Group(current.SeGroupRef).RemoveServiceEngineAsync(name).WaitAsync(cancellationToken);
        await Registry.ReleaseServiceEngineAsync(name, current.SeGroupRef).WaitAsync(cancellationToken);
    }

    // ---- shared VIP sets -------------------------------------------------------------------------

    /// <inheritdoc/>
    public async Task<VsVip> CreateVsVipAsync(VsVip vsVip, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vsVip);
        RequireName(vsVip.Name, ConfigurationValidator.ValidateVsVip(vsVip, "vsvip[0]"), "vsvip[0]");
        var grain = _grains.GetGrain<IVsVipGrain>(vsVip.Name);
        if (validateOnly)
        {
            return await grain.CreateAsync(vsVip, validateOnly: true).WaitAsync(cancellationToken);
        }

        await Registry.AddVsVipAsync(vsVip.Name).WaitAsync(cancellationToken);
        return await grain.CreateAsync(vsVip, validateOnly: false).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<VsVip> GetVsVipAsync(string name, CancellationToken cancellationToken) =>
        _grains.GetGrain<IVsVipGrain>(RequireKey(name, VsVipKind)).GetAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<VsVip>> ListVsVipsAsync(CancellationToken cancellationToken)
    {
        var names = await Registry.ListVsVipsAsync().WaitAsync(cancellationToken);
        var sets = await Task.WhenAll(names.Select(n => OrNullAsync(_grains.GetGrain<IVsVipGrain>(n).GetAsync()))).WaitAsync(cancellationToken);
        return [.. sets.OfType<VsVip>()];
    }

    /// <inheritdoc/>
    public Task<VsVip> UpdateVsVipAsync(VsVip expected, VsVip updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        return _grains.GetGrain<IVsVipGrain>(RequireKey(updated.Name, VsVipKind)).UpdateAsync(expected, updated, validateOnly).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task DeleteVsVipAsync(string name, CancellationToken cancellationToken)
    {
        await _grains.GetGrain<IVsVipGrain>(RequireKey(name, VsVipKind)).DeleteAsync().WaitAsync(cancellationToken);
        await Registry.RemoveVsVipAsync(name).WaitAsync(cancellationToken);
    }

    // ---- virtual services --------------------------------------------------------------------------

    /// <inheritdoc/>
    public Task<VirtualService> CreateVirtualServiceAsync(VirtualService virtualService, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        RequireName(virtualService.Name, ConfigurationValidator.ValidateVirtualService(virtualService, "virtualservice[0]"), "virtualservice[0]");
        return VirtualServiceGrain(virtualService.Name).CreateAsync(virtualService, validateOnly).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<VirtualService> GetVirtualServiceAsync(string name, CancellationToken cancellationToken) =>
        VirtualServiceGrain(name).GetAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<VirtualService>> ListVirtualServicesAsync(string? seGroupRef, CancellationToken cancellationToken)
    {
        if (seGroupRef is not null)
        {
            return await Group(seGroupRef).ListVirtualServicesAsync().WaitAsync(cancellationToken);
        }

        return [.. (await EachGroupAsync(g => g.ListVirtualServicesAsync(), cancellationToken)).SelectMany(v => v).OrderBy(v => v.Name, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public Task<VirtualService> UpdateVirtualServiceAsync(VirtualService expected, VirtualService updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        return VirtualServiceGrain(updated.Name).UpdateAsync(expected, updated, validateOnly).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteVirtualServiceAsync(string name, CancellationToken cancellationToken) =>
        VirtualServiceGrain(name).DeleteAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PlacementRecord>> GetPlacementHistoryAsync(string name, CancellationToken cancellationToken)
    {
        await GetVirtualServiceAsync(name, cancellationToken);
        return await VirtualServiceGrain(name).GetHistoryAsync().WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PoolMemberHealth>> GetPoolHealthAsync(string name, CancellationToken cancellationToken)
    {
        var vs = await GetVirtualServiceAsync(name, cancellationToken);
        return await Group(vs.SeGroupRef).GetPoolHealthAsync(name).WaitAsync(cancellationToken);
    }

    // ---- placement and operations ---------------------------------------------------------------------

    /// <inheritdoc/>
    public Task<GroupPlacement> GetGroupPlacementAsync(string seGroupRef, CancellationToken cancellationToken) =>
        Group(seGroupRef).GetPlacementAsync().WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<PlacementView> GetVirtualServicePlacementAsync(string name, CancellationToken cancellationToken)
    {
        var vs = await GetVirtualServiceAsync(name, cancellationToken);
        return await Group(vs.SeGroupRef).GetVirtualServicePlacementAsync(name).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PlacementView>> ListVirtualServicePlacementsAsync(string? seGroupRef, CancellationToken cancellationToken)
    {
        if (seGroupRef is not null)
        {
            return await Group(seGroupRef).ListPlacementsAsync().WaitAsync(cancellationToken);
        }

        return [.. (await EachGroupAsync(g => g.ListPlacementsAsync(), cancellationToken)).SelectMany(p => p).OrderBy(p => p.Placement.VsRef, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public Task<HaOperationResult> RequestAsync(string seGroupRef, PlacementRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Group(seGroupRef).RequestAsync(request).WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<HaOperationResult> ReportServiceEngineStateAsync(string name, OperState operState, CancellationToken cancellationToken)
    {
        var group = await Registry.FindServiceEngineGroupAsync(RequireKey(name, EngineKind)).WaitAsync(cancellationToken) ?? throw new HaObjectNotFoundException(EngineKind, name);
        return await Group(group).ReportServiceEngineStateAsync(name, operState, _time.GetUtcNow(), "reported").WaitAsync(cancellationToken);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private IVirtualServiceGrain VirtualServiceGrain(string name) => _grains.GetGrain<IVirtualServiceGrain>(RequireKey(name, VirtualServiceKind));

    private async Task<ServiceEngine?> FindEngineAsync(string name, CancellationToken cancellationToken)
    {
        var group = await Registry.FindServiceEngineGroupAsync(RequireKey(name, EngineKind)).WaitAsync(cancellationToken);
        if (group is null)
        {
            return null;
        }

        var engines = await OrNullAsync(ListAsync(Group(group))).WaitAsync(cancellationToken);
        return engines?.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

        static async Task<IReadOnlyList<ServiceEngine>> ListAsync(IServiceEngineGroupGrain group) => await group.ListServiceEnginesAsync();
    }

    private async Task RequireGroupReferenceAsync(string seGroupRef, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(seGroupRef) || await OrNullAsync(Group(seGroupRef).GetAsync()).WaitAsync(cancellationToken) is null)
        {
            throw new HaValidationException("se_group_ref", $"service engine group '{seGroupRef}' does not exist");
        }
    }

    private async Task<T[]> EachGroupAsync<T>(Func<IServiceEngineGroupGrain, Task<T>> read, CancellationToken cancellationToken)
        where T : notnull
    {
        var names = await Registry.ListGroupsAsync().WaitAsync(cancellationToken);
        var results = await Task.WhenAll(names.Select(async n =>
        {
            try
            {
                return (Found: true, Value: await read(_grains.GetGrain<IServiceEngineGroupGrain>(n)));
            }
            catch (HaObjectNotFoundException)
            {
                // Listed but not (or no longer) there: the registry is written first.
                return (Found: false, Value: default(T)!);
            }
        })).WaitAsync(cancellationToken);
        return [.. results.Where(r => r.Found).Select(r => r.Value)];
    }

    private async Task ForgetGroupIfMissingAsync(string name)
    {
        if (await OrNullAsync(Group(name).GetAsync()) is null)
        {
            await Registry.RemoveGroupAsync(name);
        }
    }

    private static async Task<T?> OrNullAsync<T>(Task<T> read)
        where T : class
    {
        try
        {
            return await read;
        }
        catch (HaObjectNotFoundException)
        {
            return null;
        }
    }

    // A grain key must be a name; a missing or blank name is the caller's mistake, reported as the validator words it.
    private static void RequireName(string? name, IReadOnlyList<FieldViolation> violations, string prefix)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new HaValidationException([.. violations.Select(v => new HaViolation(v.FieldPath.StartsWith(prefix, StringComparison.Ordinal) ? v.FieldPath[prefix.Length..].TrimStart('.') : v.FieldPath, v.Description))]);
        }
    }

    private static string RequireKey(string? name, string kind) =>
        string.IsNullOrEmpty(name) ? throw new HaObjectNotFoundException(kind, name ?? string.Empty) : name;
}
