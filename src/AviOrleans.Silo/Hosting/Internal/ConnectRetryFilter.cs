using Microsoft.Extensions.Logging;
using Orleans;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// Lets a gateway-only process keep trying to reach the cluster for <c>timeout</c> from its first failed attempt, a
/// second apart: in Kubernetes the gateway Deployment and the silo DaemonSet start together. After that the start
/// fails with the last error.
/// </summary>
internal sealed class ConnectRetryFilter : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ConnectRetryFilter> _logger;
    private DateTimeOffset? _deadline;

    public ConnectRetryFilter(TimeSpan timeout, TimeProvider timeProvider, ILogger<ConnectRetryFilter> logger)
    {
        _timeout = timeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        _deadline ??= now + _timeout;
        var remaining = _deadline.Value - now;
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        SiloLog.ConnectRetry(_logger, exception.Message, remaining);
        await Task.Delay(remaining < Pause ? remaining : Pause, _timeProvider, cancellationToken);
        return true;
    }
}
