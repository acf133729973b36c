using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.Internal;

/// <summary>Holds the latest snapshot and fans newer ones out to observers; older snapshots are ignored.</summary>
internal sealed class MembershipView : IClusterMembershipView, IObservable<MembershipSnapshot>
{
    private readonly Lock _lock = new();
    private readonly List<IObserver<MembershipSnapshot>> _observers = [];
    private readonly List<(Func<MembershipSnapshot, bool> Predicate, TaskCompletionSource<MembershipSnapshot> Waiter)> _waiters = [];
    private MembershipSnapshot _current = MembershipSnapshot.Empty;

    public MembershipSnapshot Current => Volatile.Read(ref _current);

    public IObservable<MembershipSnapshot> Updates => this;

    /// <summary>Publishes <paramref name="snapshot"/> if it is newer; returns whether it was.</summary>
    public bool TryPublish(MembershipSnapshot snapshot)
    {
        IObserver<MembershipSnapshot>[] observers;
        List<TaskCompletionSource<MembershipSnapshot>> satisfied = [];
        lock (_lock)
        {
            if (snapshot.Version.Version <= _current.Version.Version)
            {
                return false;
            }

            Volatile.Write(ref _current, snapshot);
            observers = [.. _observers];
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(snapshot))
                {
                    satisfied.Add(_waiters[i].Waiter);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in satisfied)
        {
            waiter.TrySetResult(snapshot);
        }

        foreach (var observer in observers)
        {
            observer.OnNext(snapshot);
        }

        return true;
    }

    public IDisposable Subscribe(IObserver<MembershipSnapshot> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        MembershipSnapshot current;
        lock (_lock)
        {
            _observers.Add(observer);
            current = _current;
        }

        observer.OnNext(current);
        return new Subscription(this, observer);
    }

    public async Task<MembershipSnapshot> WaitForAsync(Func<MembershipSnapshot, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waiter = new TaskCompletionSource<MembershipSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (predicate(_current))
            {
                return _current;
            }

            _waiters.Add((predicate, waiter));
        }

        using var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return await waiter.Task.ConfigureAwait(false);
    }

    public void Complete()
    {
        IObserver<MembershipSnapshot>[] observers;
        lock (_lock)
        {
            observers = [.. _observers];
            _observers.Clear();
        }

        foreach (var observer in observers)
        {
            observer.OnCompleted();
        }
    }

    private sealed class Subscription(MembershipView view, IObserver<MembershipSnapshot> observer) : IDisposable
    {
        public void Dispose()
        {
            lock (view._lock)
            {
                view._observers.Remove(observer);
            }
        }
    }
}
