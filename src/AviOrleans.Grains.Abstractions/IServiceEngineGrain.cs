namespace AviOrleans.Grains;

/// <summary>
/// An SE's agent on its own host (key: the SE name, which is its silo's name). Activated only on
/// that silo (its grain class carries <see cref="SePinnedPlacementAttribute"/>): a call while the
/// SE's silo is not Active fails at once with <see cref="ServiceEngineUnavailableException"/>.
/// </summary>
[Alias("avi.IServiceEngineGrain")]
public interface IServiceEngineGrain : IGrainWithStringKey
{
    /// <summary>Applies an ownership order on this host (older epochs are refused; see <see cref="OwnershipAck"/>).</summary>
    [Alias("Apply")]
    Task<OwnershipAck> ApplyAsync(OwnershipOrder order);

    /// <summary>Hands the host's prober what this SE must monitor for a group (gateways and pools); replaces the previous assignment of that group.</summary>
    [Alias("Monitor")]
    Task MonitorAsync(MonitoringAssignment assignment);

    /// <summary>The latest health of <paramref name="vsRef"/>'s pool servers as this SE sees them (empty when it does not check them).</summary>
    [Alias("GetPoolHealth")]
    Task<System.Collections.Immutable.ImmutableArray<PoolMemberHealth>> GetPoolHealthAsync(string vsRef);

    /// <summary>What the host holds and how it is.</summary>
    [Alias("GetReport")]
    Task<ServiceEngineReport> GetReportAsync();
}
