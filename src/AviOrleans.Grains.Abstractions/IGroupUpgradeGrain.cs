using AviOrleans.Domain;
using Orleans.Concurrency;

namespace AviOrleans.Grains;

/// <summary>
/// The rolling upgrade of one group (key: the group's name). The upgrade is this grain's stored state and runs in
/// it, step by step, whoever watches: a caller that goes away (its gateway restarted) leaves it running, a silo that
/// stops takes it nowhere (the next activation goes on from the stored state; a reminder wakes it if nobody calls).
/// </summary>
[Alias("avi.IGroupUpgradeGrain")]
public interface IGroupUpgradeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts upgrading the group to <paramref name="options"/>' target version, or, when an upgrade to that version
    /// is running already, joins it; returns the run to read. An upgrade to another version running: rejected.
    /// </summary>
    [Alias("Start")]
    Task<Guid> StartAsync(SeUpgradeParams options);

    /// <summary>
    /// The reports of <paramref name="run"/> from the <paramref name="from"/>th on (0: from its start), waiting up to
    /// <paramref name="wait"/> for one when there is none yet.
    /// </summary>
    [Alias("Read"), AlwaysInterleave]
    Task<UpgradeProgressPage> ReadAsync(Guid run, int from, TimeSpan wait);
}
