namespace AviOrleans.Runtime.Internal;

/// <summary>
/// Silo generations: whole seconds since 2022-01-01 UTC (as Orleans), forced strictly increasing within the
/// process so that a silo restarted at the same address in the same second is still a new identity.
/// </summary>
internal static class GenerationClock
{
    private static readonly DateTimeOffset Epoch = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int s_last;

    public static int Next(TimeProvider time)
    {
        var now = (int)Math.Max(1, (time.GetUtcNow() - Epoch).TotalSeconds);
        while (true)
        {
            var last = Volatile.Read(ref s_last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref s_last, next, last) == last)
            {
                return next;
            }
        }
    }
}
