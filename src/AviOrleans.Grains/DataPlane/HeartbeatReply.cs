namespace AviOrleans.Grains.DataPlane;

/// <summary>The answer to a datapath heartbeat.</summary>
/// <param name="Confirmed">True: the responder holds fresh evidence itself, sees the sender Active, has not released it
/// to a takeover gate, and runs with the same fencing values.</param>
/// <param name="Reason">Why it does not confirm, when it does not.</param>
/// <param name="Groups">The SE groups whose addresses the responder holds.</param>
[GenerateSerializer, Immutable, Alias("avi.dp.HeartbeatReply")]
public sealed record HeartbeatReply(
    [property: Id(0)] bool Confirmed,
    [property: Id(1)] string? Reason,
    [property: Id(2)] string[] Groups);
