using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private static int s_activations;
    private static int s_deactivations;
    private readonly IPersistentState<CounterState> _state;

    public CounterGrain(IGrainActivationContext context) => _state = context.GetPersistentState<CounterState>("counter");

    public static int Activations => Volatile.Read(ref s_activations);

    public static int Deactivations => Volatile.Read(ref s_deactivations);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_activations);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref s_deactivations);
        if (reason != DeactivationReason.InconsistentState)
        {
            await _state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<int> AddAsync(int delta)
    {
        _state.State.Value += delta;
        await _state.WriteStateAsync();
        return _state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(_state.State.Value);

    public Task<string> GetSiloNameAsync() => Task.FromResult(Context.SiloName);

    public Task AddUnsavedAsync(int delta)
    {
        _state.State.Value += delta;
        return Task.CompletedTask;
    }

    public ValueTask<int> GetActivationCountAsync() => ValueTask.FromResult(Activations);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
