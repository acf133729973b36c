namespace AviOrleans.Grains.DataPlane;

/// <summary>The self-fence of a host at one moment.</summary>
/// <param name="IsFenced">True while the host may own no address.</param>
/// <param name="Since">When the state began (the silo's clock).</param>
/// <param name="Reason">Why the host is fenced, or what evidence lifted the fence.</param>
public sealed record HostFenceState(bool IsFenced, DateTimeOffset Since, string Reason);
