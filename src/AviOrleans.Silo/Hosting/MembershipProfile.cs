namespace AviOrleans.Silo.Hosting;

/// <summary>
/// A named set of Orleans failure-detection settings (<c>ClusterMembershipOptions</c>), chosen with
/// <c>--membership</c>. <see cref="MembershipProfiles"/> says what each sets and why.
/// </summary>
public enum MembershipProfile
{
    /// <summary>
    /// The shipped default (<c>--membership fast</c>): a killed silo is Dead in every survivor's view in a
    /// few hundred milliseconds and a frozen one in about half a second, so that VIP failover starts at once.
    /// </summary>
    Fast = 0,

    /// <summary>
    /// Orleans' own defaults (<c>--membership orleans-default</c>): 5 s probes, 3 misses, 60 s table refresh;
    /// about 11 s to declare a killed silo Dead and about a minute for a frozen one. For comparison and for
    /// clusters on hosts too slow or too loaded for the fast profile.
    /// </summary>
    OrleansDefault = 1,
}
