using AviOrleans.Runtime;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class WatcherGrain : Grain, IWatcherGrain, IObserver<MembershipSnapshot>
{
    private IDisposable? _subscription;
    private int _activeSilos;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _subscription = Context.Membership.Updates.Subscribe(this);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> GetActiveSiloCountAsync() => Task.FromResult(_activeSilos);

    public void OnNext(MembershipSnapshot value) =>
        _ = Context.RunAsTurnAsync(() =>
        {
            _activeSilos = value.ActiveSilos.Count;
            return Task.CompletedTask;
        });

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
