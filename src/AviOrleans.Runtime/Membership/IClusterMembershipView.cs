namespace AviOrleans.Runtime.Membership;

/// <summary>
/// A silo's view of the cluster membership. <see cref="Updates"/> gives the current snapshot to a new
/// subscriber at once, then every newer one in version order (on a thread-pool thread: a grain that
/// subscribes must hop back into its activation, e.g. by calling itself).
/// </summary>
public interface IClusterMembershipView
{
    /// <summary>The latest snapshot.</summary>
    MembershipSnapshot Current { get; }

    /// <summary>Snapshots as they change.</summary>
    IObservable<MembershipSnapshot> Updates { get; }

    /// <summary>Waits until a snapshot satisfies <paramref name="predicate"/>; returns that snapshot.</summary>
    Task<MembershipSnapshot> WaitForAsync(Func<MembershipSnapshot, bool> predicate, CancellationToken cancellationToken);
}
