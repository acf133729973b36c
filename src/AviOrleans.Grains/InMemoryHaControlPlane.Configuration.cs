using AviOrleans.Domain;
using AviOrleans.Grains.Internal;

namespace AviOrleans.Grains;

/// <summary>Configuration CRUD: groups, SEs, shared VIPs and virtual services.</summary>
public sealed partial class InMemoryHaControlPlane
{
    /// <inheritdoc/>
    public async Task<ServiceEngineGroup> CreateServiceEngineGroupAsync(ServiceEngineGroup group, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var (result, _) = await MutateAsync(
            config =>
            {
                if (config.ServiceEngineGroups.Any(g => string.Equals(g.Name, group.Name, StringComparison.Ordinal)))
                {
                    throw new HaObjectExistsException("name", $"{GroupKind} \"{group.Name}\" already exists.");
                }

                return new Mutation<ServiceEngineGroup>(new ConfigurationChange { UpsertServiceEngineGroups = [group] }, group, [group.Name], GroupKind, group.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public Task<ServiceEngineGroup> GetServiceEngineGroupAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(FindGroup(State.Configuration, name));

    /// <inheritdoc/>
    public Task<IReadOnlyList<ServiceEngineGroup>> ListServiceEngineGroupsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServiceEngineGroup>>([.. ByName(State.Configuration.ServiceEngineGroups, g => g.Name)]);

    /// <inheritdoc/>
    public async Task<ServiceEngineGroup> UpdateServiceEngineGroupAsync(ServiceEngineGroup expected, ServiceEngineGroup updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var (result, _) = await MutateAsync(
            config =>
            {
                var current = FindGroup(config, updated.Name);
                CheckExpected(current, expected, GroupKind, updated.Name);
                return new Mutation<ServiceEngineGroup>(new ConfigurationChange { UpsertServiceEngineGroups = [updated] }, updated, [updated.Name], GroupKind, updated.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task DeleteServiceEngineGroupAsync(string name, CancellationToken cancellationToken) =>
        await MutateAsync(
            config =>
            {
                var current = FindGroup(config, name);
                var engines = config.ServiceEngines.Count(s => string.Equals(s.SeGroupRef, name, StringComparison.Ordinal));
                var services = config.VirtualServices.Count(v => string.Equals(v.SeGroupRef, name, StringComparison.Ordinal));
                if (engines + services > 0)
                {
                    throw new HaOperationRejectedException($"{GroupKind} \"{name}\" still has {engines} service engine(s) and {services} virtual service(s); delete or move them first.");
                }

                return new Mutation<string>(new ConfigurationChange { DeleteServiceEngineGroups = [current.Name] }, name, [name], GroupKind, name);
            },
            validateOnly: false,
            cancellationToken);

    /// <inheritdoc/>
    public async Task<ServiceEngine> CreateServiceEngineAsync(ServiceEngine engine, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var (result, _) = await MutateAsync(
            config =>
            {
                if (config.ServiceEngines.Any(s => string.Equals(s.Name, engine.Name, StringComparison.Ordinal)))
                {
                    throw new HaObjectExistsException("name", $"{EngineKind} \"{engine.Name}\" already exists.");
                }

                return new Mutation<ServiceEngine>(new ConfigurationChange { UpsertServiceEngines = [engine] }, engine, [engine.SeGroupRef], EngineKind, engine.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public Task<ServiceEngine> GetServiceEngineAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(FindEngine(State.Configuration, name));

    /// <inheritdoc/>
    public Task<IReadOnlyList<ServiceEngine>> ListServiceEnginesAsync(string? seGroupRef, CancellationToken cancellationToken)
    {
        var config = State.Configuration;
        if (seGroupRef is not null)
        {
            FindGroup(config, seGroupRef);
        }

        return Task.FromResult<IReadOnlyList<ServiceEngine>>(
            [.. ByName(config.ServiceEngines.Where(s => seGroupRef is null || string.Equals(s.SeGroupRef, seGroupRef, StringComparison.Ordinal)), s => s.Name)]);
    }

    /// <inheritdoc/>
    public async Task<ServiceEngine> UpdateServiceEngineAsync(ServiceEngine expected, ServiceEngine updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var (result, _) = await MutateAsync(
            config =>
            {
                var current = FindEngine(config, updated.Name);
                CheckExpected(current, expected, EngineKind, updated.Name);
                return new Mutation<ServiceEngine>(new ConfigurationChange { UpsertServiceEngines = [updated] }, updated, [current.SeGroupRef, updated.SeGroupRef], EngineKind, updated.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task DeleteServiceEngineAsync(string name, CancellationToken cancellationToken) =>
        await MutateAsync(
            config =>
            {
                var current = FindEngine(config, name);
                return new Mutation<string>(new ConfigurationChange { DeleteServiceEngines = [current.Name] }, name, [current.SeGroupRef], EngineKind, name);
            },
            validateOnly: false,
            cancellationToken);

    /// <inheritdoc/>
    public async Task<VsVip> CreateVsVipAsync(VsVip vsVip, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vsVip);
        var (result, _) = await MutateAsync(
            config =>
            {
                if (config.VsVips.Any(v => string.Equals(v.Name, vsVip.Name, StringComparison.Ordinal)))
                {
                    throw new HaObjectExistsException("name", $"{VsVipKind} \"{vsVip.Name}\" already exists.");
                }

                return new Mutation<VsVip>(new ConfigurationChange { UpsertVsVips = [vsVip] }, vsVip, [], VsVipKind, vsVip.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public Task<VsVip> GetVsVipAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(FindVsVip(State.Configuration, name));

    /// <inheritdoc/>
    public Task<IReadOnlyList<VsVip>> ListVsVipsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VsVip>>([.. ByName(State.Configuration.VsVips, v => v.Name)]);

    /// <inheritdoc/>
    public async Task<VsVip> UpdateVsVipAsync(VsVip expected, VsVip updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var (result, _) = await MutateAsync(
            config =>
            {
                var current = FindVsVip(config, updated.Name);
                CheckExpected(current, expected, VsVipKind, updated.Name);
                return new Mutation<VsVip>(new ConfigurationChange { UpsertVsVips = [updated] }, updated, GroupsOfVsVip(config, updated.Name), VsVipKind, updated.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task DeleteVsVipAsync(string name, CancellationToken cancellationToken) =>
        await MutateAsync(
            config =>
            {
                var current = FindVsVip(config, name);
                var users = config.VirtualServices.Where(v => string.Equals(v.VsvipRef, name, StringComparison.Ordinal)).Select(v => v.Name).ToArray();
                if (users.Length > 0)
                {
                    throw new HaOperationRejectedException($"{VsVipKind} \"{name}\" is used by {VirtualServiceKind} {string.Join(", ", users.Select(u => "\"" + u + "\""))}.");
                }

                return new Mutation<string>(new ConfigurationChange { DeleteVsVips = [current.Name] }, name, [], VsVipKind, name);
            },
            validateOnly: false,
            cancellationToken);

    /// <inheritdoc/>
    public async Task<VirtualService> CreateVirtualServiceAsync(VirtualService virtualService, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        var (result, _) = await MutateAsync(
            config =>
            {
                if (config.VirtualServices.Any(v => string.Equals(v.Name, virtualService.Name, StringComparison.Ordinal)))
                {
                    throw new HaObjectExistsException("name", $"{VirtualServiceKind} \"{virtualService.Name}\" already exists.");
                }

                return new Mutation<VirtualService>(new ConfigurationChange { UpsertVirtualServices = [virtualService] }, virtualService, [virtualService.SeGroupRef], VirtualServiceKind, virtualService.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public Task<VirtualService> GetVirtualServiceAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(FindVirtualService(State.Configuration, name));

    /// <inheritdoc/>
    public Task<IReadOnlyList<VirtualService>> ListVirtualServicesAsync(string? seGroupRef, CancellationToken cancellationToken)
    {
        var config = State.Configuration;
        if (seGroupRef is not null)
        {
            FindGroup(config, seGroupRef);
        }

        return Task.FromResult<IReadOnlyList<VirtualService>>(
            [.. ByName(config.VirtualServices.Where(v => seGroupRef is null || string.Equals(v.SeGroupRef, seGroupRef, StringComparison.Ordinal)), v => v.Name)]);
    }

    /// <inheritdoc/>
    public async Task<VirtualService> UpdateVirtualServiceAsync(VirtualService expected, VirtualService updated, bool validateOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        var (result, _) = await MutateAsync(
            config =>
            {
                var current = FindVirtualService(config, updated.Name);
                CheckExpected(current, expected, VirtualServiceKind, updated.Name);
                return new Mutation<VirtualService>(new ConfigurationChange { UpsertVirtualServices = [updated] }, updated, [current.SeGroupRef, updated.SeGroupRef], VirtualServiceKind, updated.Name);
            },
            validateOnly,
            cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task DeleteVirtualServiceAsync(string name, CancellationToken cancellationToken) =>
        await MutateAsync(
            config =>
            {
                var current = FindVirtualService(config, name);
                return new Mutation<string>(new ConfigurationChange { DeleteVirtualServices = [current.Name] }, name, [current.SeGroupRef], VirtualServiceKind, name);
            },
            validateOnly: false,
            cancellationToken);
}
