namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Runs an initialization (the schema migration or check) once it has succeeded; a failed attempt is not
/// remembered, so a store that was down at start initializes on the first call after it comes back.
/// </summary>
internal sealed class AsyncInitializer(Func<CancellationToken, Task> initialize) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public bool IsDone => _done;

    public ValueTask EnsureAsync(CancellationToken cancellationToken) =>
        _done ? ValueTask.CompletedTask : new ValueTask(RunAsync(cancellationToken));

    public void Dispose() => _gate.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await initialize(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
