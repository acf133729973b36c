using System.Security.Cryptography;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>A probe that runs on its own until stopped: started once, stopped when its assignment goes away or the silo stops.</summary>
internal abstract class MonitorLoop(MonitorServices services)
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(services.Stopping);
    private Task _running = Task.CompletedTask;

    protected MonitorServices Services { get; } = services;

    protected abstract TimeSpan Interval { get; }

    public void Start() => _running = Task.Run(RunGuardedAsync, CancellationToken.None);

    public void Stop()
    {
        _stop.Cancel();
        _ = _running.ContinueWith(_ => _stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    protected abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>A random first wait within one interval, so that many probes started together do not fire together.</summary>
    protected TimeSpan Jitter() => TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, Math.Max(1, (int)Interval.TotalMilliseconds)));

    protected Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, Services.Time, cancellationToken) : Task.CompletedTask;

    private async Task RunGuardedAsync()
    {
        try
        {
            await RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
#pragma warning disable CA1031 // The loop boundary: a probe's failure is logged, never thrown into the silo.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            MonitoringLog.LoopFailed(Services.Logger, Services.SeName, ex);
        }
    }
}
