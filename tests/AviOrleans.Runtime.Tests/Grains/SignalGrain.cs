using AviOrleans.Runtime;

namespace AviOrleans.Runtime.Tests.Grains;

public class SignalGrain : Grain, ISignalGrain
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<bool> WaitForSignalAsync(int waitMs)
    {
        _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = await Task.WhenAny(_signal.Task, Task.Delay(waitMs));
        return winner == _signal.Task;
    }

    public Task SignalAsync()
    {
        _signal.TrySetResult();
        return Task.CompletedTask;
    }

    public Task SignalInterleavedAsync() => SignalAsync();
}
