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

    /// <summary>Which run of the SE's silo this is, and the version it runs.</summary>
    [Alias("GetIncarnation")]
    Task<ServiceEngineIncarnation> GetIncarnationAsync();

    /// <summary>
    /// Asks the SE's silo to restart for a rolling upgrade to <paramref name="targetVersion"/>: it stops gracefully
    /// (its actives go to peers, its addresses are withdrawn) and exits with the code that tells its supervisor to
    /// start the installed version. Returns the incarnation that is restarting; the new one answers under another.
    /// </summary>
    /// <exception cref="HaOperationRejectedException">The silo's host cannot restart it (no supervisor said it would).</exception>
    [Alias("RestartForUpgrade")]
    Task<ServiceEngineIncarnation> RestartForUpgradeAsync(string targetVersion);
}
