using System.Collections.Immutable;
using AviOrleans.Domain;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AviOrleans.Grains;

/// <summary>
/// An SE group: configuration, SEs, virtual services, and the one decision maker for their
/// placement. Reentrant, so that changes arriving while a decision is being written queue up and
/// are decided together (one validation, one engine run, one write); every read sees the last
/// committed state. Nothing is sent to an SE before the decision is persisted.
/// </summary>
[Reentrant]
internal sealed partial class ServiceEngineGroupGrain : Grain, IServiceEngineGroupGrain, IDisposable
{
    private const string GroupKind = "serviceenginegroup";
    private const string EngineKind = "serviceengine";
    private const string VirtualServiceKind = "virtualservice";

    private readonly IPersistentState<GroupState> _state;
    private readonly TimeProvider _time;
    private readonly IClusterMembershipService? _membership;
    private readonly ITakeoverGate _gate;
    private readonly AviGrainsOptions _options;
    private readonly ILogger<ServiceEngineGroupGrain> _logger;
    private readonly PlacementRecordSender _records;
    private readonly SiloAddress _silo;
    private GroupConfig _config = GroupConfig.Empty;
    private (Guid Id, DateTimeOffset Until)? _upgrade;

    public ServiceEngineGroupGrain(
        [PersistentState("group", HaRegistry.StorageName)] IPersistentState<GroupState> state,
        TimeProvider time,
        ITakeoverGate gate,
        IOptions<AviGrainsOptions> options,
        PlacementRecordSender records,
        ILogger<ServiceEngineGroupGrain> logger,
        ILocalSiloDetails silo,
        IClusterMembershipService? membership = null)
    {
        _silo = silo.SiloAddress;
        _records = records;
        _state = state;
        _time = time;
        _gate = gate;
        _options = options.Value;
        _logger = logger;
        _membership = membership;
    }

    private string Name => this.GetPrimaryKeyString();

    public void Dispose() => _deactivating.Dispose();

    private GroupPlacement? Placement => _state.State.Placement;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _config = _state.State.ToConfig();
        _lastChanged = _state.State.LastChanged.WithComparers(StringComparer.Ordinal);
        if (_config.Group is not null)
        {
            StartBackgroundWork();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating.Cancel();
        if (_config.Group is not null && reason.ReasonCode is DeactivationReasonCode.DirectoryFailure or DeactivationReasonCode.RuntimeRequested
                or DeactivationReasonCode.ActivationUnresponsive or DeactivationReasonCode.HighMemoryPressure or DeactivationReasonCode.ApplicationError)
        {
            // Taken away by the runtime, typically because the silo that held its directory entry died: nobody may call
            // the group for a while (the death was already reported to this activation), yet it must drive the failover
            // now. A call of its own, delivered once this activation is gone, brings it back at once.
            GrainLog.Reactivating(_logger, Name, reason.ReasonCode);
            _ = GrainFactory.GetGrain<IServiceEngineGroupGrain>(Name).GetAsync().ContinueWith(
                static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    // ---- the group itself ------------------------------------------------------------------

    public Task<ServiceEngineGroup> CreateAsync(ServiceEngineGroup group, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(group);
        CheckKey(group.Name);
        return DecideAsync<ServiceEngineGroup>(
            GroupKind,
            group.Name,
            config => config.Group is not null
                ? throw new HaObjectExistsException("name", $"{GroupKind} \"{group.Name}\" already exists.")
                : new Plan(new ConfigurationChange { UpsertServiceEngineGroups = [group] }, group),
            validateOnly);
    }

    public Task<ServiceEngineGroup> GetAsync() => Task.FromResult(RequireGroup(_config));

    public Task<ServiceEngineGroup> UpdateAsync(ServiceEngineGroup expected, ServiceEngineGroup updated, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        CheckKey(updated.Name);
        return DecideAsync<ServiceEngineGroup>(
            GroupKind,
            updated.Name,
            config =>
            {
                CheckExpected(RequireGroup(config), expected, GroupKind, updated.Name);

                // Results of gateways no longer monitored go with them, or a removed monitor would keep an SE "cut off".
                var engines = config.Engines.Values
                    .Select(se => se with { GatewayMonitors = MonitoredOnly(updated, se.GatewayMonitors) })
                    .Where(se => !se.Equals(config.Engines[se.Name]))
                    .ToArray();
                return new Plan(new ConfigurationChange { UpsertServiceEngineGroups = [updated], UpsertServiceEngines = [.. engines] }, updated);
            },
            validateOnly);
    }

    public Task DeleteAsync() =>
        DecideAsync<string>(
            GroupKind,
            Name,
            config =>
            {
                RequireGroup(config);
                if (config.Engines.Count + config.VirtualServices.Count > 0)
                {
                    throw new HaOperationRejectedException($"{GroupKind} \"{Name}\" still has {config.Engines.Count} service engine(s) and {config.VirtualServices.Count} virtual service(s); delete or move them first.");
                }

                return new Plan(new ConfigurationChange { DeleteServiceEngineGroups = [Name], DeleteVsVips = [.. config.VsVips.Keys] }, Name);
            },
            validateOnly: false);

    // ---- service engines -------------------------------------------------------------------

    public Task<ServiceEngine> PutServiceEngineAsync(ServiceEngine? expected, ServiceEngine engine, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return DecideAsync<ServiceEngine>(
            EngineKind,
            engine.Name,
            config =>
            {
                RequireGroup(config);
                var current = config.Engines.GetValueOrDefault(engine.Name);
                if (expected is null && current is not null)
                {
                    throw new HaObjectExistsException("name", $"{EngineKind} \"{engine.Name}\" already exists.");
                }

                if (expected is not null)
                {
                    CheckExpected(current ?? throw new HaObjectNotFoundException(EngineKind, engine.Name), expected, EngineKind, engine.Name);
                }

                // Liveness and gateway-monitor results are outputs: failure detection and the prober set them, not the caller.
                var stored = engine with
                {
                    OperState = current?.OperState ?? InitialOperState(engine.Name),
                    DatapathSuspected = current?.DatapathSuspected ?? false,
                    GatewayReachable = current?.GatewayReachable ?? true,
                    GatewayMonitors = current?.GatewayMonitors ?? default,

                    // An upgrade's mark outlives an operator's edit while the SE stays disabled (the API does not carry it).
                    DisabledForUpgrade = engine.DisabledForUpgrade || (current?.DisabledForUpgrade == true && engine.EnableState == SeEnableState.Disabled),
                };
                return new Plan(new ConfigurationChange { UpsertServiceEngines = [stored] }, stored);
            },
            validateOnly);
    }

    public Task RemoveServiceEngineAsync(string seName) =>
        DecideAsync<string>(
            EngineKind,
            seName,
            config =>
            {
                RequireGroup(config);
                return config.Engines.ContainsKey(seName)
                    ? new Plan(new ConfigurationChange { DeleteServiceEngines = [seName] }, seName)
                    : throw new HaObjectNotFoundException(EngineKind, seName);
            },
            validateOnly: false);

    public Task<ImmutableArray<ServiceEngine>> ListServiceEnginesAsync()
    {
        RequireGroup(_config);
        return Task.FromResult<ImmutableArray<ServiceEngine>>([.. _config.Engines.Values]);
    }

    // ---- virtual services ------------------------------------------------------------------

    public async Task<PlacementView> PutVirtualServiceAsync(VirtualService? expected, VirtualService virtualService, VsVip? vsVip, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        var name = virtualService.Name;
        await DecideAsync<VirtualService>(
            VirtualServiceKind,
            name,
            config =>
            {
                RequireGroup(config);
                var current = config.VirtualServices.GetValueOrDefault(name);
                if (expected is null && current is not null && !current.Equals(virtualService))
                {
                    throw new HaObjectExistsException("name", $"{VirtualServiceKind} \"{name}\" already exists.");
                }

                if (expected is not null)
                {
                    CheckExpected(current ?? throw new HaObjectNotFoundException(VirtualServiceKind, name), expected, VirtualServiceKind, name);
                }

                var change = new ConfigurationChange
                {
                    UpsertVirtualServices = [virtualService],
                    UpsertVsVips = vsVip is null ? default : [vsVip],
                    DeleteVsVips = [.. UnusedVsVips(config, name, virtualService.VsvipRef)],
                };
                return new Plan(change, virtualService);
            },
            validateOnly);
        return validateOnly
            ? new PlacementView(Name, new VsPlacement { VsRef = name, VsvipRef = virtualService.VsvipRef }, _time.GetUtcNow())
            : ViewOf(name) ?? throw new HaObjectNotFoundException(VirtualServiceKind, name);
    }

    public Task RemoveVirtualServiceAsync(string vsName) =>
        DecideAsync<string>(
            VirtualServiceKind,
            vsName,
            config => config.VirtualServices.ContainsKey(vsName)
                ? new Plan(new ConfigurationChange { DeleteVirtualServices = [vsName], DeleteVsVips = [.. UnusedVsVips(config, vsName, null)] }, vsName)
                : Plan.Nothing(vsName),
            validateOnly: false);

    public Task<VirtualService?> FindVirtualServiceAsync(string vsName) =>
        Task.FromResult(_config.VirtualServices.GetValueOrDefault(vsName));

    public Task<ImmutableArray<VirtualService>> ListVirtualServicesAsync()
    {
        RequireGroup(_config);
        return Task.FromResult<ImmutableArray<VirtualService>>([.. _config.VirtualServices.Values]);
    }

    public Task PutVsVipAsync(VsVip vsVip)
    {
        ArgumentNullException.ThrowIfNull(vsVip);
        return DecideAsync<VsVip>(
            "vsvip",
            vsVip.Name,
            config => config.VsVips.ContainsKey(vsVip.Name)
                ? new Plan(new ConfigurationChange { UpsertVsVips = [vsVip] }, vsVip)
                : Plan.Nothing(vsVip),
            validateOnly: false);
    }

    // ---- placement ---------------------------------------------------------------------------

    public Task<GroupPlacement> GetPlacementAsync()
    {
        var group = RequireGroup(_config);
        return Task.FromResult(Placement ?? new GroupPlacement { SeGroupRef = group.Name, HaMode = group.HaMode, ComputedAt = _time.GetUtcNow() });
    }

    public Task<ImmutableArray<PlacementView>> ListPlacementsAsync()
    {
        RequireGroup(_config);
        return Task.FromResult<ImmutableArray<PlacementView>>([.. Views()]);
    }

    public Task<PlacementView> GetVirtualServicePlacementAsync(string vsName) =>
        Task.FromResult(ViewOf(vsName) ?? throw new HaObjectNotFoundException(VirtualServiceKind, vsName));

    public Task<HaOperationResult> RequestAsync(PlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DecideAsync<HaOperationResult>(
            GroupKind,
            Name,
            config =>
            {
                RequireGroup(config);
                CheckRequestTargets(config, request);
                return new Plan(null, null, request);
            },
            validateOnly: false);
    }

    public Task<HaOperationResult> ReportServiceEngineStateAsync(string seName, OperState operState, DateTimeOffset at, string reason)
    {
        NoteLiveness(seName, operState == OperState.Up, at, reason);
        return DecideAsync<HaOperationResult>(
            EngineKind,
            seName,
            config =>
            {
                var se = config.Engines.GetValueOrDefault(seName) ?? throw new HaObjectNotFoundException(EngineKind, seName);
                return new Plan(new ConfigurationChange { UpsertServiceEngines = [se with { OperState = operState }] }, null);
            },
            validateOnly: false);
    }

    public Task AcquireUpgradeAsync(Guid upgradeId, TimeSpan lease)
    {
        RequireGroup(_config);
        var now = _time.GetUtcNow();
        if (_upgrade is { } held && held.Id != upgradeId && held.Until > now)
        {
            throw new HaOperationRejectedException($"An upgrade of {GroupKind} \"{Name}\" is already running.");
        }

        _upgrade = (upgradeId, now + lease);
        return Task.CompletedTask;
    }

    public Task ReleaseUpgradeAsync(Guid upgradeId)
    {
        if (_upgrade is { } held && held.Id == upgradeId)
        {
            _upgrade = null;
        }

        return Task.CompletedTask;
    }

    public async Task<ServiceEngineIncarnation?> RestartServiceEngineAsync(string seName, string targetVersion)
    {
        RequireGroup(_config);
        if (!_config.Engines.ContainsKey(seName))
        {
            throw new HaObjectNotFoundException(EngineKind, seName);
        }

        return _options.ServiceEngineLiveness == ServiceEngineLiveness.Membership
            ? await GrainFactory.GetGrain<IServiceEngineGrain>(seName).RestartForUpgradeAsync(targetVersion)
            : null;
    }

    public Task<bool> UsesAddressAsync(string canonicalAddress) =>
        Task.FromResult(_config.Group is { } g && g.FloatingIntfIp.Concat(g.FloatingIntfIpSe2).Any(a => string.Equals(AddressClaims.Canonical(a), canonicalAddress, StringComparison.Ordinal)));

    // ---- helpers -----------------------------------------------------------------------------

    private void CheckKey(string name)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Group grain {Name} was asked about group {name}.", nameof(name));
        }
    }

    private ServiceEngineGroup RequireGroup(GroupConfig config) =>
        config.Group ?? throw new HaObjectNotFoundException(GroupKind, Name);

    private static void CheckExpected<T>(T current, T expected, string kind, string name)
        where T : class
    {
        if (!current.Equals(expected))
        {
            throw new HaConflictException($"{kind} \"{name}\" was changed by someone else since it was read; read it again and retry.");
        }
    }

    // A shared VIP set's copy stays while a virtual service of this group still uses it.
    private static IEnumerable<string> UnusedVsVips(GroupConfig config, string vsName, string? keep) =>
        config.VirtualServices.TryGetValue(vsName, out var current) && current.VsvipRef is { } old
            && !string.Equals(old, keep, StringComparison.Ordinal)
            && !config.VirtualServices.Values.Any(v => !string.Equals(v.Name, vsName, StringComparison.Ordinal) && string.Equals(v.VsvipRef, old, StringComparison.Ordinal))
            ? [old]
            : [];

    private void CheckRequestTargets(GroupConfig config, PlacementRequest request)
    {
        var (vs, ses) = request switch
        {
            VsSwitchoverRequest r => (r.VsRef, Array.Empty<string?>()),
            MigrateRequest r => (r.VsRef, [r.FromSeRef, r.ToSeRef]),
            ScaleOutRequest r => (r.VsRef, [r.ToSeRef]),
            ScaleInRequest r => (r.VsRef, [r.FromSeRef]),
            SeSwitchoverRequest r => ((string?)null, [r.SeRef]),
            _ => (null, []),
        };
        if (vs is not null && !config.VirtualServices.ContainsKey(vs))
        {
            throw new HaOperationRejectedException($"{VirtualServiceKind} \"{vs}\" is not in {GroupKind} \"{Name}\".");
        }

        foreach (var se in ses.OfType<string>())
        {
            if (!config.Engines.ContainsKey(se))
            {
                throw new HaOperationRejectedException($"{EngineKind} \"{se}\" is not in {GroupKind} \"{Name}\".");
            }
        }
    }

    private IEnumerable<PlacementView> Views() =>
        (Placement?.VirtualServices ?? default).Select(p => new PlacementView(Name, p, _lastChanged.GetValueOrDefault(p.VsRef, Placement!.ComputedAt)));

    private PlacementView? ViewOf(string vsName) =>
        Placement?.Find(vsName) is { } p ? new PlacementView(Name, p, _lastChanged.GetValueOrDefault(vsName, Placement.ComputedAt)) : null;
}
