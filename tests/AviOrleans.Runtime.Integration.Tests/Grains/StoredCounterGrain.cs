using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Integration.Tests.Grains;

public sealed class StoredCounterGrain : Grain, IStoredCounterGrain
{
    /// <summary>The grain type name of <see cref="IStoredCounterGrain"/>.</summary>
    public const string GrainType = "storedcounter";

    /// <summary>The store's grain type for the counter's state: the grain type and the state name.</summary>
    public const string StateType = GrainType + ".counter";

    private readonly IPersistentState<StoredCounterState> _state;

    public StoredCounterGrain(IGrainActivationContext context) => _state = context.GetPersistentState<StoredCounterState>("counter");

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A stale activation must not write: its state lost the race to a newer writer.
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

    public Task AddUnsavedAsync(int delta)
    {
        _state.State.Value += delta;
        return Task.CompletedTask;
    }

    public Task<int> GetAsync() => Task.FromResult(_state.State.Value);

    public Task<string> GetSiloNameAsync() => Task.FromResult(Context.SiloName);
}
