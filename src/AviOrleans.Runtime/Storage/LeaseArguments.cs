namespace AviOrleans.Runtime.Storage;

/// <summary>The argument checks every <see cref="ILeaseStore"/> applies, so bad input fails alike everywhere and changes nothing.</summary>
public static class LeaseArguments
{
    /// <summary>The longest lease a store grants: longer ones would make a dead silo's VIPs unrecoverable for too long.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>Throws <see cref="ArgumentException"/> for an empty name or owner, or a duration not in (0, <see cref="MaxDuration"/>].</summary>
    public static void Validate(string name, string owner, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);
    }
}
