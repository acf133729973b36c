using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Tests.Grains;
using AviOrleans.Testing;

namespace AviOrleans.Runtime.Tests;

public sealed class MembershipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Join_ThreeSilos_EveryViewHasEveryoneActive()
    {
        await using var cluster = await TestClusters.StartAsync(3);

        var table = await cluster.MembershipTable.ReadAllAsync(Ct);

        Assert.Equal(3, table.Entries.Count(r => r.Entry.Status == SiloStatus.Active));
        Assert.All(cluster.Silos, s => Assert.Equal(3, s.Membership.Current.ActiveSilos.Count));
    }

    [Fact]
    public async Task MembershipView_Subscriber_GetsCurrentThenDeath()
    {
        await using var cluster = await TestClusters.StartAsync(2);
        var observer = new SnapshotObserver();
        using var subscription = cluster.Silos[0].Membership.Updates.Subscribe(observer);
        var victim = cluster.Silos[1];

        await cluster.KillSiloAsync(victim);
        await observer.WaitForAsync(s => s.GetStatus(victim.Address) == SiloStatus.Dead).WaitAsync(TestClusters.Patience, Ct);

        Assert.Equal(SiloStatus.Active, observer.First!.GetStatus(victim.Address));
        Assert.True(observer.VersionsAscending);
    }

    [Fact]
    public async Task MembershipTableDown_SilosKeepServingAndNobodyIsDeclaredDead()
    {
        var table = new InMemoryMembershipTable();
        var options = TestClusters.Options(2);
        options.MembershipTable = table;
        await using var cluster = await TestCluster.StartAsync(options, Ct);
        var counter = cluster.Client.GetGrain<ICounterGrain>("table-down-" + Guid.NewGuid());

        table.IsAvailable = false;
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);

        Assert.Equal(1, await counter.AddAsync(1).WaitAsync(TestClusters.Patience, Ct));
        Assert.All(cluster.Silos, s => Assert.True(s.IsRunning));
        Assert.All(cluster.Silos, s => Assert.Equal(2, s.Membership.Current.ActiveSilos.Count));
        table.IsAvailable = true;
    }

    [Fact]
    public async Task IAmAliveLostForAWhile_ThenKill_ThreeSiloClusterStillNeedsTwoVotes()
    {
        var table = new IAmAliveLosingTable();
        var options = TestClusters.Options(3, o =>
        {
            o.Membership.IAmAlivePeriod = TimeSpan.FromMilliseconds(200);
            o.Membership.NumMissedIAmAliveLimit = 2;
        });
        options.MembershipTable = table;
        await using var cluster = await TestCluster.StartAsync(options, Ct);
        var victim = cluster.Silos[2];

        // Every row goes stale by the clock (0.4 s limit) because the store lost the writes, not because the silos died.
        table.LoseIAmAlive = true;
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        await cluster.KillSiloAsync(victim);
        await Task.WhenAll(cluster.Silos.Select(s => s.Membership.WaitForAsync(v => v.GetStatus(victim.Address) == SiloStatus.Dead, Ct)))
            .WaitAsync(TestClusters.Patience, Ct);
        table.LoseIAmAlive = false;

        var row = (await table.ReadAllAsync(Ct)).Entries.Single(r => r.Entry.Silo == victim.Address).Entry;
        Assert.Equal(2, row.SuspectTimes.Select(v => v.Suspecter).Distinct().Count());
        Assert.All(cluster.Silos, s => Assert.True(s.IsRunning));
    }

    private sealed class SnapshotObserver : IObserver<MembershipSnapshot>
    {
        private readonly Lock _lock = new();
        private readonly List<MembershipSnapshot> _seen = [];
        private readonly List<(Func<MembershipSnapshot, bool> Predicate, TaskCompletionSource Done)> _waiters = [];

        public MembershipSnapshot? First
        {
            get
            {
                lock (_lock)
                {
                    return _seen.FirstOrDefault();
                }
            }
        }

        public bool VersionsAscending
        {
            get
            {
                lock (_lock)
                {
                    return _seen.Zip(_seen.Skip(1)).All(p => p.First.Version.Version < p.Second.Version.Version);
                }
            }
        }

        public Task WaitForAsync(Func<MembershipSnapshot, bool> predicate)
        {
            lock (_lock)
            {
                if (_seen.Any(predicate))
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((predicate, done));
                return done.Task;
            }
        }

        public void OnNext(MembershipSnapshot value)
        {
            lock (_lock)
            {
                _seen.Add(value);
                foreach (var waiter in _waiters.Where(w => w.Predicate(value)).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
