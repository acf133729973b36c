namespace AviOrleans.Grains;

/// <summary>One pool server of a virtual service as one SE's health monitors see it.</summary>
/// <param name="VsRef">The virtual service.</param>
/// <param name="Ip">The server's address.</param>
/// <param name="Port">The server's port (the pool's default when it gives none).</param>
/// <param name="SeRef">The SE that checks it.</param>
/// <param name="IsStandby">That SE holds the standby placement.</param>
/// <param name="State">Up, down, or not checked yet.</param>
/// <param name="Reason">Why it is down (the failing monitor and its error), or empty.</param>
/// <param name="LastCheckAt">When its last check ended, if any did.</param>
/// <param name="LastChangedAt">When <paramref name="State"/> last changed, if it did.</param>
[GenerateSerializer, Immutable, Alias("avi.PoolMemberHealth")]
public sealed record PoolMemberHealth(
    [property: Id(0)] string VsRef,
    [property: Id(1)] string Ip,
    [property: Id(2)] int Port,
    [property: Id(3)] string SeRef,
    [property: Id(4)] bool IsStandby,
    [property: Id(5)] PoolMemberState State,
    [property: Id(6)] string Reason,
    [property: Id(7)] DateTimeOffset? LastCheckAt,
    [property: Id(8)] DateTimeOffset? LastChangedAt);
