namespace AviOrleans.Runtime.Membership;

/// <summary>Helpers over <see cref="SiloStatus"/>.</summary>
public static class SiloStatusExtensions
{
    /// <summary>True for <see cref="SiloStatus.ShuttingDown"/>, <see cref="SiloStatus.Stopping"/> and <see cref="SiloStatus.Dead"/>.</summary>
    public static bool IsTerminating(this SiloStatus status) =>
        status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead;
}
