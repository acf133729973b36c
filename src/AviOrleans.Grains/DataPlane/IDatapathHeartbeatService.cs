using System.Collections.Immutable;
using Orleans.Services;

namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The datapath heartbeat endpoint of one silo (an Orleans grain service: one per silo, addressed by silo). Peers
/// ping it every <see cref="DataPlaneOptions.HeartbeatInterval"/>; the reply says whether this silo confirms the
/// sender as a live member (the sender's evidence while the store is away). A takeover gate asks it to stop
/// confirming a dead silo, and a suspecting peer asks how long it has not heard from one.
/// </summary>
[Alias("avi.dp.IDatapathHeartbeatService")]
public interface IDatapathHeartbeatService : IGrainService
{
    /// <summary>A heartbeat from <see cref="HeartbeatPing.From"/>.</summary>
    [Alias("Ping")]
    Task<HeartbeatReply> PingAsync(HeartbeatPing ping, CancellationToken cancellationToken);

    /// <summary>
    /// From now on never confirm <paramref name="silos"/>, and say how long ago each was last confirmed (a takeover
    /// gate counts that confirmation as the dead silo's evidence).
    /// </summary>
    [Alias("Release")]
    Task<ImmutableArray<ConfirmationAge>> ReleaseConfirmationsAsync(ImmutableArray<SiloAddress> silos, CancellationToken cancellationToken);

    /// <summary>How long this silo has not heard from <paramref name="silo"/> (null: it does not watch it).</summary>
    [Alias("Silence")]
    Task<TimeSpan?> GetSilenceAsync(SiloAddress silo, CancellationToken cancellationToken);
}
