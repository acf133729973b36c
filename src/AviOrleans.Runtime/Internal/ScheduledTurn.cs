namespace AviOrleans.Runtime.Internal;

/// <summary>Work handed to an activation from outside its turns (e.g. a membership observer), run as one turn.</summary>
internal sealed class ScheduledTurn(Activation activation, Func<Task> work)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    public Task RunOnActivationAsync() => activation.RunScheduledTurnAsync(this);

    public async Task RunAsync()
    {
        try
        {
            await work().ConfigureAwait(true);
            _done.TrySetResult();
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
        }
    }

    public void Cancel(Exception reason) => _done.TrySetException(reason);
}
