using AviOrleans.Grains;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// The silo's answer to a rolling upgrade's restart request: the graceful stop a SIGTERM starts (actives handed to
/// peers, addresses withdrawn, the cluster left), then exit code 3, which its supervisor (systemd's
/// Restart=on-failure, the kubelet) answers by starting the installed version.
/// </summary>
internal sealed class SiloRestart : IServiceEngineRestart, IDisposable
{
    /// <summary>The exit code that asks the supervisor for a restart on the installed version.</summary>
    public const int ExitCode = 3;

    // Long enough for the grain call that asked to be answered before the silo starts leaving.
    private static readonly TimeSpan AnswerTime = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _requested = new();
    private string? _targetVersion;

    /// <summary>Cancelled when the stop for the restart begins.</summary>
    public CancellationToken Requested => _requested.Token;

    /// <summary>The version the restart is for, or null while none was asked for.</summary>
    public string? TargetVersion => Volatile.Read(ref _targetVersion);

    /// <inheritdoc/>
    public bool TryRestart(string targetVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetVersion);
        if (Interlocked.CompareExchange(ref _targetVersion, targetVersion, null) is not null)
        {
            return false;
        }

        _requested.CancelAfter(AnswerTime);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _requested.Dispose();
}
