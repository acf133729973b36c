using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>
/// An SE group (key: its name): its configuration, its SEs and virtual services, and the single
/// decision maker for their placement. Every change is validated (a bad one changes nothing),
/// placed with the domain engine, persisted with a new epoch (a stale activation's write fails
/// and it sends nothing), and only then are the SEs ordered to own their addresses.
/// Changes that arrive together are decided together (one placement, one write).
/// </summary>
[Alias("avi.IServiceEngineGroupGrain")]
public interface IServiceEngineGroupGrain : IAddressUserGrain
{
    /// <summary>Creates the group.</summary>
    [Alias("Create")]
    Task<ServiceEngineGroup> CreateAsync(ServiceEngineGroup group, bool validateOnly);

    /// <summary>The group's configuration.</summary>
    /// <exception cref="HaObjectNotFoundException">It does not exist.</exception>
    [Alias("Get")]
    Task<ServiceEngineGroup> GetAsync();

    /// <summary>Replaces the group's configuration if it still equals <paramref name="expected"/>.</summary>
    [Alias("Update")]
    Task<ServiceEngineGroup> UpdateAsync(ServiceEngineGroup expected, ServiceEngineGroup updated, bool validateOnly);

    /// <summary>Deletes an empty group.</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>Adds an SE (<paramref name="expected"/> null) or replaces one that still equals <paramref name="expected"/>.</summary>
    [Alias("PutServiceEngine")]
    Task<ServiceEngine> PutServiceEngineAsync(ServiceEngine? expected, ServiceEngine engine, bool validateOnly);

    /// <summary>Removes an SE; its virtual services are re-placed as after its failure.</summary>
    [Alias("RemoveServiceEngine")]
    Task RemoveServiceEngineAsync(string seName);

    /// <summary>The group's SEs, ordered by name.</summary>
    [Alias("ListServiceEngines")]
    Task<ImmutableArray<ServiceEngine>> ListServiceEnginesAsync();

    /// <summary>
    /// Adds a virtual service (<paramref name="expected"/> null: idempotent when the same one is
    /// there already) or replaces one that still equals <paramref name="expected"/>; returns its placement.
    /// </summary>
    [Alias("PutVirtualService")]
    Task<PlacementView> PutVirtualServiceAsync(VirtualService? expected, VirtualService virtualService, VsVip? vsVip, bool validateOnly);

    /// <summary>Removes a virtual service (idempotent).</summary>
    [Alias("RemoveVirtualService")]
    Task RemoveVirtualServiceAsync(string vsName);

    /// <summary>The committed virtual service named <paramref name="vsName"/>, or null.</summary>
    [Alias("FindVirtualService")]
    Task<VirtualService?> FindVirtualServiceAsync(string vsName);

    /// <summary>The group's virtual services, ordered by name.</summary>
    [Alias("ListVirtualServices")]
    Task<ImmutableArray<VirtualService>> ListVirtualServicesAsync();

    /// <summary>A shared VIP set its virtual services use has changed: re-place them.</summary>
    [Alias("PutVsVip")]
    Task PutVsVipAsync(VsVip vsVip);

    /// <summary>The current placement: SEs, virtual services, legacy pair and addresses.</summary>
    [Alias("GetPlacement")]
    Task<GroupPlacement> GetPlacementAsync();

    /// <summary>The placements of the group's virtual services, ordered by name.</summary>
    [Alias("ListPlacements")]
    Task<ImmutableArray<PlacementView>> ListPlacementsAsync();

    /// <summary>The placement of one virtual service.</summary>
    [Alias("GetVirtualServicePlacement")]
    Task<PlacementView> GetVirtualServicePlacementAsync(string vsName);

    /// <summary>Carries out an HA operation (switchover, redistribute, migrate, scale-out, scale-in).</summary>
    /// <exception cref="HaOperationRejectedException">The engine refused it; nothing changed.</exception>
    [Alias("Request")]
    Task<HaOperationResult> RequestAsync(PlacementRequest request);

    /// <summary>Failure detection's or an operator's verdict on an SE (up, down, ...); the group is re-placed.</summary>
    [Alias("ReportServiceEngineState")]
    Task<HaOperationResult> ReportServiceEngineStateAsync(string seName, OperState operState, DateTimeOffset at, string reason);

    /// <summary>Orleans membership says the SE's silo is Active (<paramref name="up"/>) or Dead (idempotent).</summary>
    [Alias("ReportMembership")]
    Task ReportMembershipAsync(string seName, bool up, DateTimeOffset at);

    /// <summary>The datapath suspects an SE (kept for the failover timeline); moves nothing.</summary>
    [Alias("ReportSuspicion")]
    Task ReportSuspicionAsync(string seName, DateTimeOffset at, string reason);

    /// <summary>The order SE <paramref name="seName"/> must apply now for this group, or null when it owns nothing here.</summary>
    [Alias("GetOrder")]
    Task<OwnershipOrder?> GetOrderAsync(string seName);

    /// <summary>What SE <paramref name="seName"/> must monitor for this group now (gateways, pools), or null when nothing.</summary>
    [Alias("GetMonitoring")]
    Task<MonitoringAssignment?> GetMonitoringAsync(string seName);

    /// <summary>
    /// The gateway monitors' results on SE <paramref name="seName"/> (every monitor of the group, after Avi's thresholds):
    /// kept on the SE, reported with <c>SE_GATEWAY_HEARTBEAT_FAILED/SUCCESS</c>, and in legacy HA an active SE that lost
    /// a gateway its peer reaches is switched over (AS-45). Results for gateways the group no longer monitors are ignored.
    /// </summary>
    [Alias("ReportGatewayMonitors")]
    Task ReportGatewayMonitorsAsync(string seName, EquatableArray<GatewayMonitorStatus> monitors);

    /// <summary>
    /// SE <paramref name="seName"/>, primary of <paramref name="vsRef"/> since <paramref name="epoch"/>, passed its first
    /// health check of the pool at <paramref name="at"/>: completes that failover's timeline.
    /// </summary>
    [Alias("ReportFirstHealthCheck")]
    Task ReportFirstHealthCheckAsync(string seName, string vsRef, long epoch, DateTimeOffset at);

    /// <summary>The health of <paramref name="vsRef"/>'s pool servers as each SE that checks them sees it (SEs that cannot be reached are left out).</summary>
    [Alias("GetPoolHealth")]
    Task<ImmutableArray<PoolMemberHealth>> GetPoolHealthAsync(string vsRef);

    /// <summary>
    /// Takes (or renews) the group's upgrade lease for <paramref name="upgradeId"/> until
    /// <paramref name="lease"/> from now: one rolling upgrade of a group at a time. An upgrade whose
    /// driver went away loses the lease when it runs out.
    /// </summary>
    /// <exception cref="HaOperationRejectedException">Another upgrade holds the lease.</exception>
    [Alias("AcquireUpgrade")]
    Task AcquireUpgradeAsync(Guid upgradeId, TimeSpan lease);

    /// <summary>Gives the upgrade lease back (idempotent).</summary>
    [Alias("ReleaseUpgrade")]
    Task ReleaseUpgradeAsync(Guid upgradeId);

    /// <summary>
    /// Restarts <paramref name="seName"/>'s silo for a rolling upgrade (<see cref="IServiceEngineGrain.RestartForUpgradeAsync"/>)
    /// and returns the incarnation that is restarting; null when SEs are not silos of this cluster
    /// (<c>ServiceEngineLiveness.Reported</c>): then nothing here can restart one, and the upgrade records the version.
    /// </summary>
    [Alias("RestartServiceEngine")]
    Task<ServiceEngineIncarnation?> RestartServiceEngineAsync(string seName, string targetVersion);

    /// <summary>Moves every active placement off <paramref name="seName"/> to its peers (a silo leaving gracefully), and waits until its addresses were handed over.</summary>
    [Alias("HandOff")]
    Task<HaOperationResult> HandOffAsync(string seName);
}
