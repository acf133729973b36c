using Orleans.Placement;
using Orleans.Runtime;

namespace AviOrleans.Silo.Tests.Grains;

/// <summary>The counter, on the silo's default grain storage; placed at random so that tests find grains on every silo.</summary>
[RandomPlacement]
public sealed class CounterGrain(
    [PersistentState("counter")] IPersistentState<CounterState> state,
    ILocalSiloDetails silo) : Grain, ICounterGrain
{
    public async Task<int> AddAsync(int delta)
    {
        state.State = state.State with { Value = state.State.Value + delta };
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public Task<string> SiloAsync() => Task.FromResult(silo.Name);
}
