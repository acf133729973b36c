namespace AviOrleans.Grains;

/// <summary>Settings of the HA grains on a silo (<c>AddAviGrains</c>).</summary>
public sealed class AviGrainsOptions
{
    /// <summary>Where an SE's liveness comes from. Default: <see cref="ServiceEngineLiveness.Membership"/>.</summary>
    public ServiceEngineLiveness ServiceEngineLiveness { get; set; } = ServiceEngineLiveness.Membership;

    /// <summary>How often a group re-reads the membership view in case it missed a change. Default: 5 seconds.</summary>
    public TimeSpan MembershipReconcilePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a leaving silo waits for its groups to hand its addresses to peers. Default: 10 seconds.</summary>
    public TimeSpan HandOffTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many placement records each virtual service keeps. Default: 32.</summary>
    public int HistoryLength { get; set; } = 32;
}
