namespace AviOrleans.Silo.Hosting;

/// <summary>
/// Why the silo is stopping by itself: Orleans reported a fatal error, most often that the cluster declared this
/// silo dead. Set once by the fatal-error handler; the host then stops and the process exits non-zero, so that its
/// supervisor (systemd, the kubelet) starts a new incarnation.
/// </summary>
public sealed class SiloTermination : IDisposable
{
    private readonly CancellationTokenSource _terminating = new();
    private string? _reason;

    /// <summary>The reason, or null while nothing fatal happened.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Cancelled when a fatal error is reported.</summary>
    public CancellationToken Terminating => _terminating.Token;

    /// <summary>Records <paramref name="reason"/>; false when a reason was already recorded (the first one stays).</summary>
    public bool TrySet(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (Interlocked.CompareExchange(ref _reason, reason, null) is not null)
        {
            return false;
        }

        _terminating.Cancel();
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _terminating.Dispose();
}
