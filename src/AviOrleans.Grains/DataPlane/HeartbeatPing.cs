namespace AviOrleans.Grains.DataPlane;

/// <summary>A datapath heartbeat.</summary>
/// <param name="From">The sending silo.</param>
/// <param name="Parameters">The sender's fencing values; a silo with other values never confirms it.</param>
/// <param name="Groups">The SE groups whose addresses the sender holds (a suspecting peer reports to them).</param>
[GenerateSerializer, Immutable, Alias("avi.dp.HeartbeatPing")]
public sealed record HeartbeatPing(
    [property: Id(0)] SiloAddress From,
    [property: Id(1)] FencingParameters Parameters,
    [property: Id(2)] string[] Groups);
