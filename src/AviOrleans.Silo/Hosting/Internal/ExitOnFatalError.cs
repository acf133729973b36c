using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// Orleans' fatal-error hook, replacing its default (which logs, sleeps 2 s and calls <c>Environment.FailFast</c>,
/// exit code 134 with a core dump request). A silo told it is dead, or hit by any other fatal error, records the
/// reason, stops its host (health turns NotServing first, the gateway closes, connections end) and lets the command
/// exit with a non-zero code and one line naming the reason, so that its supervisor restarts it as a new incarnation.
/// </summary>
internal sealed class ExitOnFatalError : IFatalErrorHandler
{
    // Orleans' own wording when the membership table or a gossip message says this silo is Dead
    // (MembershipTableManager.KillMyselfLocally).
    private const string DeclaredDeadMarker = "I have been told I am dead";

    private readonly ILogger<ExitOnFatalError> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SiloTermination _termination;

    public ExitOnFatalError(ILogger<ExitOnFatalError> logger, IHostApplicationLifetime lifetime, SiloTermination termination)
    {
        _logger = logger;
        _lifetime = lifetime;
        _termination = termination;
    }

    // Every exception that reaches Orleans' fatal paths is fatal to the silo.
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        var reason = Describe(context, exception);
        SiloLog.FatalError(_logger, reason, exception);
        if (_termination.TrySet(reason))
        {
            // Health turned NotServing as the reason was set; stopping ends every gateway call, so give watchers
            // the drain time to receive it first.
            _ = StopAfterDrainAsync();
        }
    }

    private async Task StopAfterDrainAsync()
    {
        await Task.Delay(SiloHealthPublisher.Drain);
        _lifetime.StopApplication();
    }

    internal static string Describe(string? context, Exception? exception)
    {
        if (context is not null && context.Contains(DeclaredDeadMarker, StringComparison.Ordinal))
        {
            return "declared dead by the cluster (" + context + ")";
        }

        return (context, exception) switch
        {
            (not null, not null) => $"{context}: {exception.GetType().Name}: {exception.Message}",
            (not null, null) => context,
            (null, not null) => $"{exception.GetType().Name}: {exception.Message}",
            _ => "fatal error without a reason",
        };
    }
}
