namespace AviOrleans.Persistence.Leases;

/// <summary>The argument checks every <see cref="ILeaseStore"/> applies, so bad input fails alike everywhere and changes nothing.</summary>
public static class LeaseArguments
{
    /// <summary>The longest lease a store grants: longer ones would keep a dead SE's VIPs unrecoverable for too long.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>The longest lease name and owner: the column width the tables index comfortably.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Throws <see cref="ArgumentException"/> for an empty or too long name or owner, or a duration not in (0, <see cref="MaxDuration"/>].</summary>
    public static void Validate(string name, string owner, TimeSpan duration)
    {
        ValidateName(name);
        ValidateName(owner, nameof(owner));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);
    }

    /// <summary>Throws <see cref="ArgumentException"/> for an empty or too long name.</summary>
    public static void ValidateName(string name, string parameterName = "name")
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameterName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxNameLength, parameterName);
    }
}
