using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane;

/// <summary>The data plane's log messages (event ids 6000-6099).</summary>
internal static partial class DataPlaneLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "No VIP interface (or no CAP_NET_ADMIN): this host moves no address; it logs the addresses it would own")]
    public static partial void LoggingOnly(ILogger logger);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Group {SeGroup} epoch {Epoch}: would have {Action} {Address}")]
    public static partial void WouldChange(ILogger logger, string seGroup, long epoch, AddressAction action, string address);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Group {SeGroup} epoch {Epoch}: order refused: {Reason}")]
    public static partial void OrderRefused(ILogger logger, string seGroup, long epoch, string reason);
}
