using Orleans.Configuration;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// What each <see cref="MembershipProfile"/> sets in Orleans' <see cref="ClusterMembershipOptions"/>, and why.
/// Figures: bench/results/runtime.md (3 real silo processes on this 2-core machine) and
/// shared/ORLEANS-10-FACTS.md.
/// </summary>
public static class MembershipProfiles
{
    /// <summary>
    /// The fast profile's probe period and initial probe timeout. Default in Orleans: 5 s.
    /// A probe goes out every 100 ms; a killed silo's port refuses at once, so with
    /// <see cref="FastMissedProbes"/> misses a vote is cast within about two periods of the kill. Loopback and LAN
    /// round trips are well under a millisecond, so 100 ms leaves a margin of two orders of magnitude; a host starved
    /// of CPU lengthens its own timeouts (the local health monitor, kept on). 200 ms (until 2026-12-03) left a frozen
    /// host's failover bound by detection (~500 ms); 100 ms held through 5 minutes of both cores saturated with no
    /// false suspicion, death or fence (bench/results/fencing.md).
    /// </summary>
    public static readonly TimeSpan FastProbeTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest a single probe may wait for its answer. Default in Orleans: 4 x ProbeTimeout (20 s).
    /// Orleans adapts the probe timeout between ProbeTimeout/2 and this value; a frozen silo (SIGSTOP, a hung
    /// host: no RST, nothing answers) is found only through timeouts, after about
    /// MaxProbeTimeout x <see cref="FastMissedProbes"/> plus one probe period: 100 ms gives ~300 ms (250 ms gave
    /// ~525 ms, the adaptive default at a 200 ms ProbeTimeout ~1.65 s). It also sets Orleans' connection liveness
    /// window (MaxProbeTimeout x misses), within which a message received from the suspect suppresses the vote:
    /// at 250 ms that window cost a frozen silo one more probe period.
    /// </summary>
    public static readonly TimeSpan FastMaxProbeTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Consecutive missed probes before a silo votes. Default in Orleans: 3. With 2 the first probe is direct and
    /// the second goes through another Active silo (an indirect probe) when there is one: a vote is cast only
    /// when that intermediary cannot reach the suspect either, so one slow or broken path does not vote.
    /// 3 was tried against false deaths of silos that had just joined a loaded 2-core host: a frozen silo among three
    /// was then not declared dead within four minutes (SiloProcessTests), so 2 stays; the thread pool's 16 threads at
    /// start (see the project file) are what helps the joining silo answer in time.
    /// </summary>
    public const int FastMissedProbes = 2;

    /// <summary>
    /// Votes needed to declare a silo Dead. Default in Orleans: 2 (kept). Orleans asks for
    /// min(this, (active silos + 1) / 2), and a failed indirect probe carries the intermediary's vote as well:
    /// two silos have failed to reach the suspect either way. With 2 silos the survivor decides alone (it is the
    /// only one who can).
    /// </summary>
    public const int FastVotesForDeath = 2;

    /// <summary>
    /// How long a vote counts. Default in Orleans: 2 min. Both survivors of a crash vote within one or two
    /// probe periods of each other, so 10 s loses nothing there; it keeps two unrelated hiccups (a GC pause
    /// here, a scheduling stall there, minutes apart) from adding up to a death sentence under load. It stays
    /// far above the clock skew of NTP-synchronized hosts (votes carry the voter's clock).
    /// </summary>
    public static readonly TimeSpan FastDeathVoteExpiration = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often every silo re-reads the membership table. Default in Orleans: 60 s. Changes reach the others
    /// at once by gossip; the table read is the fallback when a gossip message is lost, so a silo that missed it
    /// learns a death within 1 s instead of a minute. One small read per silo per second is nothing for
    /// PostgreSQL or SQLite.
    /// </summary>
    public static readonly TimeSpan FastTableRefresh = TimeSpan.FromSeconds(1);

    /// <summary>Sets <paramref name="options"/> to <paramref name="profile"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown profile.</exception>
    public static void Apply(MembershipProfile profile, ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (profile)
        {
            case MembershipProfile.OrleansDefault:
                // Orleans' own values: nothing to change.
                return;
            case MembershipProfile.Fast:
                options.ProbeTimeout = FastProbeTimeout;
                options.MaxProbeTimeout = FastMaxProbeTimeout;
                options.NumMissedProbesLimit = FastMissedProbes;
                options.NumVotesForDeathDeclaration = FastVotesForDeath;
                options.DeathVoteExpirationTimeout = FastDeathVoteExpiration;
                options.TableRefreshTimeout = FastTableRefresh;

                // Kept at Orleans' defaults on purpose: indirect probes and the local health monitor (a silo that
                // notices it is itself starved of CPU lengthens its probe timeouts and its failed probes do not
                // vote) are what keep 100 ms probes from killing healthy silos on a saturated host; the connection
                // liveness check suppresses a vote while the connection to the suspect still delivers messages.
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown membership profile.");
        }
    }

    /// <summary>The command-line name of <paramref name="profile"/>: <c>fast</c> or <c>orleans-default</c>.</summary>
    public static string Name(MembershipProfile profile) => profile switch
    {
        MembershipProfile.Fast => "fast",
        MembershipProfile.OrleansDefault => "orleans-default",
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown membership profile."),
    };

    /// <summary>Parses a command-line name; false when it is neither <c>fast</c> nor <c>orleans-default</c>.</summary>
    public static bool TryParse(string? name, out MembershipProfile profile)
    {
        switch (name)
        {
            case "fast":
                profile = MembershipProfile.Fast;
                return true;
            case "orleans-default":
                profile = MembershipProfile.OrleansDefault;
                return true;
            default:
                profile = default;
                return false;
        }
    }
}
