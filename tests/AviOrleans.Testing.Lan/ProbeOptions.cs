namespace AviOrleans.Testing.Lan;

/// <summary>How a <see cref="VipProbe"/> probes.</summary>
public sealed class ProbeOptions
{
    /// <summary>A new connection attempt starts this often, whatever the earlier ones are doing. Default: 10 ms.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Each attempt (connect and banner) gives up after this. Default: 1 second (a lost SYN is retransmitted
    /// after 1 s, so a longer bound would only count retransmissions of attempts already superseded by newer ones).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether to follow the client's neighbour entry for the address through rtnetlink notifications. Default: true.</summary>
    public bool WatchNeighbor { get; init; } = true;

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Interval, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(AttemptTimeout, TimeSpan.FromMilliseconds(10));
    }
}
