using System.Diagnostics;
using System.Globalization;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// An instant on the harness's one clock: <see cref="Stopwatch.GetTimestamp"/>, which is CLOCK_MONOTONIC on Linux
/// (nanosecond ticks). Every timestamp the harness records (probe attempts, neighbour changes, samples, faults,
/// process output) is a <see cref="LanTime"/>, so any two can be subtracted. CLOCK_MONOTONIC is shared by every process
/// and network namespace of the machine (only a time namespace would change it, and the harness makes none).
/// </summary>
/// <param name="Timestamp">The raw <see cref="Stopwatch"/> timestamp.</param>
public readonly record struct LanTime(long Timestamp) : IComparable<LanTime>
{
    /// <summary>Now.</summary>
    public static LanTime Now => new(Stopwatch.GetTimestamp());

    /// <summary>The time from <paramref name="earlier"/> to <paramref name="later"/> (negative when they are the other way round).</summary>
    public static TimeSpan operator -(LanTime later, LanTime earlier) => Stopwatch.GetElapsedTime(earlier.Timestamp, later.Timestamp);

    /// <summary>The instant <paramref name="offset"/> after <paramref name="time"/>.</summary>
    public static LanTime operator +(LanTime time, TimeSpan offset) => new(time.Timestamp + (long)(offset.TotalSeconds * Stopwatch.Frequency));

    /// <summary>Ordering.</summary>
    public static bool operator <(LanTime left, LanTime right) => left.Timestamp < right.Timestamp;

    /// <summary>Ordering.</summary>
    public static bool operator >(LanTime left, LanTime right) => left.Timestamp > right.Timestamp;

    /// <summary>Ordering.</summary>
    public static bool operator <=(LanTime left, LanTime right) => left.Timestamp <= right.Timestamp;

    /// <summary>Ordering.</summary>
    public static bool operator >=(LanTime left, LanTime right) => left.Timestamp >= right.Timestamp;

    /// <summary>The later of two instants.</summary>
    public static LanTime Max(LanTime left, LanTime right) => left >= right ? left : right;

    /// <inheritdoc/>
    public int CompareTo(LanTime other) => Timestamp.CompareTo(other.Timestamp);

    /// <summary>This instant on the wall clock (UTC), as the silos' log lines stamp it.</summary>
    public DateTime ToUtc() => DateTime.UtcNow - (Now - this);

    /// <summary>The time since <paramref name="origin"/> in milliseconds, e.g. "+1234.5 ms".</summary>
    public string ToString(LanTime origin) => string.Create(CultureInfo.InvariantCulture, $"{(this - origin).TotalMilliseconds:+0.0;-0.0} ms");
}
