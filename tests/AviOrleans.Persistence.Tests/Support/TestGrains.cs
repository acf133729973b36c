namespace AviOrleans.Persistence.Tests.Support;

/// <summary>A grain whose state lives in the <c>ha</c> grain storage, and which can set a reminder.</summary>
[Alias("AviOrleans.Persistence.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="delta"/> to the stored counter, writes it, and returns the new value.</summary>
    [Alias("Add")]
    Task<int> AddAsync(int delta);

    /// <summary>The stored counter, as the activation read it (or wrote it last).</summary>
    [Alias("Get")]
    Task<int> GetAsync();

    /// <summary>Registers a reminder that adds 1000 to the counter each time it fires.</summary>
    [Alias("Remind")]
    Task RemindAsync(TimeSpan dueTime);
}

/// <summary>The <see cref="ICounterGrain"/> implementation.</summary>
public sealed class CounterGrain([PersistentState("counter", "ha")] IPersistentState<TestState> state) : Grain, ICounterGrain, IRemindable
{
    public async Task<int> AddAsync(int delta)
    {
        state.State = TestState.Of(state.State.Counter + delta);
        await state.WriteStateAsync();
        return state.State.Counter;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Counter);

    public Task RemindAsync(TimeSpan dueTime) => this.RegisterOrUpdateReminder("tick", dueTime, TimeSpan.FromMinutes(1));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await AddAsync(1000);
        await this.UnregisterReminder(await this.GetReminder(reminderName) ?? throw new InvalidOperationException("the reminder that fired is gone"));
    }
}
