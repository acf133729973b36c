using AviOrleans.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Runtime.Internal;

/// <summary>The runtime's log messages (event ids 3000-3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Silo {SiloName} ({Silo}) is active")]
    public static partial void SiloActive(ILogger logger, string siloName, SiloAddress silo);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Silo {SiloName} is stopping gracefully")]
    public static partial void SiloStopping(ILogger logger, string siloName);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Silo {SiloName} was killed: {Reason}")]
    public static partial void SiloKilled(ILogger logger, string siloName, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Declared silo {Silo} dead with {Votes} vote(s) of {Required} required")]
    public static partial void DeclaredDead(ILogger logger, SiloAddress silo, int votes, int required);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Voted silo {Silo} suspect ({Votes} of {Required} votes)")]
    public static partial void VotedSuspect(ILogger logger, SiloAddress silo, int votes, int required);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Refused a connection: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Activation of {GrainId} failed")]
    public static partial void ActivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Deactivation of {GrainId} failed")]
    public static partial void DeactivationFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "A timer of {GrainId} failed")]
    public static partial void TimerFailed(ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Membership table operation failed")]
    public static partial void TableOperationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Probe of {Silo} missed ({Missed} in a row)")]
    public static partial void ProbeMissed(ILogger logger, SiloAddress silo, int missed);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Probe round skipped voting: this silo's own timers ran {LagMilliseconds} ms late")]
    public static partial void LocalLag(ILogger logger, double lagMilliseconds);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Declared {Previous} dead: an earlier incarnation of this silo ({Current}) at the same endpoint")]
    public static partial void PreviousIncarnationDeclaredDead(ILogger logger, SiloAddress previous, SiloAddress current);
}
