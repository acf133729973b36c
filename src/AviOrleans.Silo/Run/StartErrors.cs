using System.Net.Sockets;
using System.Security.Authentication;
using AviOrleans.Persistence;
using AviOrleans.Silo.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace AviOrleans.Silo.Run;

/// <summary>
/// Turns what stopped a host from starting into one line naming the cause: the messages along the exception chain,
/// outermost first, without stack traces or repeats (the logs keep the full exceptions).
/// </summary>
internal static class StartErrors
{
    private const int MaxLength = 800;

    // What Orleans reports when the peer ends the connection during its handshake (which side sees what is a race).
    // Orleans' GatewayManager, when the gateway list provider returns no Active gateway.
    private const string NoGatewayFound = "Could not find any gateway";

    private static readonly string[] HandshakeEnds = ["Connection terminated prematurely", "Underlying connection closed", "Unexpected cluster id"];

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Find<OptionsValidationException>(exception) is { } invalid)
        {
            return string.Join(" ", invalid.Failures);
        }

        if (Find<ClusterCredentialsException>(exception) is { } credentials)
        {
            return credentials.Message;
        }

        // Orleans wraps a provider's failure in its lifecycle's exceptions; the store's own message names the store,
        // what was being done and the driver's cause.
        if (StoreException.FindIn(exception) is { } store)
        {
            return Flatten(store.Message);
        }

        var parts = new List<string>();
        foreach (var e in Chain(exception))
        {
            var message = Flatten(e switch
            {
                SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
                AuthenticationException tls => "TLS: " + tls.Message,
                _ => e.Message,
            });
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }

        var line = string.Join(" <- ", parts);
        return line.Length <= MaxLength ? line : line[..MaxLength] + "...";
    }

    /// <summary>
    /// What a client's "no gateway" means, in the terms of the command line, or null when <paramref name="cause"/> is
    /// something else: the store lists no Active silo of this cluster id (a wrong id, or no silo running).
    /// </summary>
    public static string? NoGateway(string cause, string clusterId, string store) =>
        cause.Contains(NoGatewayFound, StringComparison.Ordinal)
            ? $"the store ({store}) lists no Active silo of cluster '{clusterId}': is --cluster-id the cluster's, and is a silo of it running?"
            : null;

    /// <summary>
    /// <paramref name="cause"/>, followed by the last problem the host's components logged when it adds something, and a
    /// hint when the connection ended in Orleans' handshake.
    /// </summary>
    public static string WithContext(string cause, string? lastProblem)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var line = lastProblem is null || cause.Contains(lastProblem, StringComparison.Ordinal) ? cause : cause + "; last problem: " + lastProblem;

        // Orleans' handshake: each side sends its cluster id and closes on a mismatch, and a TLS peer closes a plain
        // connection; the side that closes knows why, the other only sees the connection end.
        if (HandshakeEnds.Any(end => line.Contains(end, StringComparison.Ordinal)))
        {
            line += " (the peer closed the connection during Orleans' handshake: is the cluster id (--cluster-id) the cluster's, and TLS set up as on its silos?)";
        }

        return line;
    }

    // Outermost first; the inner exceptions of an AggregateException in order.
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static T? Find<T>(Exception exception)
        where T : Exception => Chain(exception).OfType<T>().FirstOrDefault();

    private static string Flatten(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
