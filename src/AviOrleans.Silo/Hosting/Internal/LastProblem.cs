using System.Data.Common;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// Keeps the most telling warning or error logged by any component, whatever the console's level: when a silo does not
/// become Active (Orleans retries a refused TLS handshake or an unreachable store until it gives up), the one line that
/// says why ends with it. A problem whose root is a refused handshake, a socket error or a database error is a cause and
/// outranks the generic failures Orleans logs around it (a failed send, a cancelled request).
/// </summary>
internal sealed partial class LastProblem : ILoggerProvider
{
    private string? _cause;
    private string? _latest;

    /// <summary>The most telling problem, one line: <c>Category: message (Exception: message)</c>; null when none.</summary>
    public string? Text => Volatile.Read(ref _cause) ?? Volatile.Read(ref _latest);

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    // One line, without the stack frames some Orleans messages carry inside their text.
    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var frame = StackFrame().Match(line);
        return frame.Success ? line[..frame.Index].TrimEnd() : line;
    }

    [GeneratedRegex(@"\s+at [\w.`<>|]+[.(]")]
    private static partial Regex StackFrame();

    private sealed class Recorder(LastProblem owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var root = exception;
            while (root?.InnerException is { } inner)
            {
                root = inner;
            }

            // A start given up, the host's own "failed to start" and this program's own warnings (consequences, such as
            // a lost connection) are what the caller reports itself.
            if (root is OperationCanceledException
                || category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal)
                || category.StartsWith("AviOrleans.Silo", StringComparison.Ordinal))
            {
                return;
            }

            var message = OneLine(formatter(state, exception));
            var text = root is null ? $"{category}: {message}" : $"{category}: {message} ({root.GetType().Name}: {OneLine(root.Message)})";
            Volatile.Write(ref owner._latest, text);
            if (root is AuthenticationException or SocketException or DbException)
            {
                Volatile.Write(ref owner._cause, text);
            }
        }
    }
}
