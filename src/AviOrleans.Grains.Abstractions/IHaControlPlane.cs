using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// The HA control plane as the gateway sees it: configuration of SE groups, SEs, shared VIPs and
/// virtual services; placement status; a watch of placement changes; and HA operations. Every
/// change is validated first (a bad change changes nothing), changes are applied one at a time,
/// and every change re-runs placement for the groups it touches.
/// <para>
/// <see cref="GrainHaControlPlane"/> implements it on the HA grains, from a silo that co-hosts the
/// gateway or from an Orleans client (<c>AddAviHaControlPlane()</c>).
/// </para>
/// </summary>
/// <remarks>
/// Failures are exceptions: <see cref="HaObjectNotFoundException"/>, <see cref="HaObjectExistsException"/>,
/// <see cref="HaValidationException"/>, <see cref="HaOperationRejectedException"/> and
/// <see cref="HaConflictException"/>.
/// </remarks>
public interface IHaControlPlane
{
    /// <summary>Creates a group; with <paramref name="validateOnly"/> only checks it.</summary>
    Task<ServiceEngineGroup> CreateServiceEngineGroupAsync(ServiceEngineGroup group, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>The group named <paramref name="name"/>.</summary>
    Task<ServiceEngineGroup> GetServiceEngineGroupAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every group, ordered by name (ordinal).</summary>
    Task<IReadOnlyList<ServiceEngineGroup>> ListServiceEngineGroupsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the group named <paramref name="updated"/>.Name, if it still equals
    /// <paramref name="expected"/> (else <see cref="HaConflictException"/>: read again and retry).
    /// </summary>
    Task<ServiceEngineGroup> UpdateServiceEngineGroupAsync(ServiceEngineGroup expected, ServiceEngineGroup updated, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>Deletes an empty group (no SEs, no virtual services).</summary>
    Task DeleteServiceEngineGroupAsync(string name, CancellationToken cancellationToken);

    /// <summary>Registers an SE in its group; its group is re-placed.</summary>
    Task<ServiceEngine> CreateServiceEngineAsync(ServiceEngine engine, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>The SE named <paramref name="name"/>.</summary>
    Task<ServiceEngine> GetServiceEngineAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every SE (of one group when <paramref name="seGroupRef"/> is set), ordered by name.</summary>
    Task<IReadOnlyList<ServiceEngine>> ListServiceEnginesAsync(string? seGroupRef, CancellationToken cancellationToken);

    /// <summary>Replaces an SE if it still equals <paramref name="expected"/>.</summary>
    Task<ServiceEngine> UpdateServiceEngineAsync(ServiceEngine expected, ServiceEngine updated, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>Removes an SE; its virtual services are re-placed as after its failure.</summary>
    Task DeleteServiceEngineAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a shared VIP set.</summary>
    Task<VsVip> CreateVsVipAsync(VsVip vsVip, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>The shared VIP set named <paramref name="name"/>.</summary>
    Task<VsVip> GetVsVipAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every shared VIP set, ordered by name.</summary>
    Task<IReadOnlyList<VsVip>> ListVsVipsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a shared VIP set if it still equals <paramref name="expected"/>.</summary>
    Task<VsVip> UpdateVsVipAsync(VsVip expected, VsVip updated, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>Deletes a shared VIP set no virtual service refers to.</summary>
    Task DeleteVsVipAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a virtual service; it is placed at once (or reported unplaced with a reason).</summary>
    Task<VirtualService> CreateVirtualServiceAsync(VirtualService virtualService, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>The virtual service named <paramref name="name"/>.</summary>
    Task<VirtualService> GetVirtualServiceAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every virtual service (of one group when <paramref name="seGroupRef"/> is set), ordered by name.</summary>
    Task<IReadOnlyList<VirtualService>> ListVirtualServicesAsync(string? seGroupRef, CancellationToken cancellationToken);

    /// <summary>Replaces a virtual service if it still equals <paramref name="expected"/>.</summary>
    Task<VirtualService> UpdateVirtualServiceAsync(VirtualService expected, VirtualService updated, bool validateOnly, CancellationToken cancellationToken);

    /// <summary>Deletes a virtual service and its placement.</summary>
    Task DeleteVirtualServiceAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The placement history of a virtual service, oldest first: each change with its cause, and
    /// for each failover its timeline (suspected, declared dead, decided with the epoch, VIP added,
    /// GARP/NA sent, first health check passed).
    /// </summary>
    Task<IReadOnlyList<PlacementRecord>> GetPlacementHistoryAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The health of a virtual service's pool servers, one entry per server and per SE that checks it (its active SEs,
    /// and its standby with the group's <c>hm_on_standby</c>), as each SE's monitors last saw it.
    /// </summary>
    Task<IReadOnlyList<PoolMemberHealth>> GetPoolHealthAsync(string name, CancellationToken cancellationToken);

    /// <summary>The current placement of a group: its SEs, virtual services, legacy pair and addresses.</summary>
    Task<GroupPlacement> GetGroupPlacementAsync(string seGroupRef, CancellationToken cancellationToken);

    /// <summary>The current placement of one virtual service.</summary>
    Task<PlacementView> GetVirtualServicePlacementAsync(string name, CancellationToken cancellationToken);

    /// <summary>The placements of every virtual service (of one group when set), ordered by name.</summary>
    Task<IReadOnlyList<PlacementView>> ListVirtualServicePlacementsAsync(string? seGroupRef, CancellationToken cancellationToken);

    /// <summary>
    /// Placement changes: a snapshot (or, when <paramref name="resumeAfterSequence"/> is still in
    /// the log, the changes after it), a <see cref="PlacementChangeKind.Synced"/> marker, then
    /// every change as it happens, until <paramref name="cancellationToken"/> fires.
    /// </summary>
    IAsyncEnumerable<PlacementChange> WatchPlacementsAsync(PlacementWatchFilter filter, long resumeAfterSequence, CancellationToken cancellationToken);

    /// <summary>
    /// Carries out an HA operation (switchover, redistribute, migrate, scale-out, scale-in) on the
    /// group <paramref name="seGroupRef"/>, which must be the group of the virtual service or SE it names.
    /// </summary>
    /// <exception cref="HaOperationRejectedException">The engine refused it (mode, bounds, state); nothing changed.</exception>
    Task<HaOperationResult> RequestAsync(string seGroupRef, PlacementRequest request, CancellationToken cancellationToken);

    /// <summary>Failure detection's verdict on an SE (up, down, ...); its group is re-placed.</summary>
    Task<HaOperationResult> ReportServiceEngineStateAsync(string name, OperState operState, CancellationToken cancellationToken);

    /// <summary>
    /// Rolling upgrade of a group, one SE at a time as the domain's <see cref="RollingUpgradePlanner"/>
    /// plans it; yields a report for each step, from the upgrade's start until it ends. The upgrade
    /// runs in the cluster: stopping the enumeration stops only the reading, and a second call for
    /// the same version follows the running upgrade (another version is rejected while it runs).
    /// </summary>
    IAsyncEnumerable<UpgradeReport> UpgradeServiceEngineGroupAsync(string seGroupRef, SeUpgradeParams options, CancellationToken cancellationToken);
}
