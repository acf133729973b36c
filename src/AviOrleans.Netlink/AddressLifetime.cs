namespace AviOrleans.Netlink;

/// <summary>Valid and preferred lifetimes of an address (IFA_CACHEINFO). The kernel removes the address when the valid
/// lifetime runs out unless it is renewed (re-added with NLM_F_REPLACE); that is how a VIP outlives no dead agent.
/// Lifetimes are whole seconds on the wire; fractions are rounded up.</summary>
public readonly record struct AddressLifetime
{
    /// <summary>The longest finite lifetime the kernel accepts (one second less than INFINITY_LIFE_TIME).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(uint.MaxValue - 1);

    /// <summary>Creates lifetimes; <paramref name="preferred"/> must not exceed <paramref name="valid"/>.</summary>
    /// <param name="valid">How long the address stays configured; at least one second.</param>
    /// <param name="preferred">How long it stays preferred as a source address (after that: deprecated, still answering).</param>
    public AddressLifetime(TimeSpan valid, TimeSpan preferred)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(valid, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valid, MaxLifetime);
        ArgumentOutOfRangeException.ThrowIfLessThan(preferred, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preferred, valid);
        Valid = valid;
        Preferred = preferred;
    }

    /// <summary>How long the address stays configured without renewal.</summary>
    public TimeSpan Valid { get; }

    /// <summary>How long the address stays preferred without renewal.</summary>
    public TimeSpan Preferred { get; }

    /// <summary>Valid and preferred lifetimes both equal to <paramref name="lifetime"/>.</summary>
    public static AddressLifetime Of(TimeSpan lifetime) => new(lifetime, lifetime);

    internal uint ValidSeconds => ToSeconds(Valid);

    internal uint PreferredSeconds => ToSeconds(Preferred);

    private static uint ToSeconds(TimeSpan value) => (uint)Math.Ceiling(value.TotalSeconds);
}
