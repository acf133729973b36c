using AviOrleans.Netlink.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Chooses, once per silo, between real ownership (<see cref="NetlinkVipOwnership"/>) and logging only, and says
/// which and why once at start.
/// </summary>
internal sealed partial class OwnershipSelection : IAsyncDisposable
{
    public OwnershipSelection(IOptions<DataPlaneOptions> options, LivenessEvidence fence, GroupOrders groups, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<OwnershipSelection>();
        var value = options.Value;
        var why = WhyNotNetlink(value, HostCapabilities.Current());
        if (why is null)
        {
            Netlink = new NetlinkVipOwnership(value, fence, timeProvider, loggerFactory, groups);
            Ownership = Netlink;
            Log.Netlink(logger, value.VipInterface!, value.NetworkNamespace ?? "the silo's own network namespace");
        }
        else
        {
            Ownership = new LoggingVipOwnership(loggerFactory.CreateLogger<LoggingVipOwnership>());
            Log.LoggingOnly(logger, why);
        }
    }

    /// <summary>The silo's ownership.</summary>
    public IVipOwnership Ownership { get; }

    /// <summary>The real ownership, or null when the silo only logs.</summary>
    public NetlinkVipOwnership? Netlink { get; }

    public ValueTask DisposeAsync() => Netlink?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Why the silo cannot move addresses, or null when it can.</summary>
    internal static string? WhyNotNetlink(DataPlaneOptions options, HostCapabilities capabilities) => options switch
    {
        { VipInterface: null } => "no VIP interface is configured (--vip-interface)",
        _ when !capabilities.NetAdmin => "the process lacks CAP_NET_ADMIN (needed to add and remove addresses)",
        _ when !capabilities.NetRaw => "the process lacks CAP_NET_RAW (needed for gratuitous ARP and unsolicited neighbour advertisements)",
        { NetworkNamespace: not null } when !capabilities.SysAdmin => "the process lacks CAP_SYS_ADMIN (needed to open sockets in another network namespace)",
        _ when !NetlinkHostNetwork.KernelSupportsAddressProtocol => "the kernel is older than 6.1 and drops the address protocol (IFA_PROTO) that marks the silo's addresses",
        _ => null,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 6180, Level = LogLevel.Information, Message = "VIP ownership: addresses on {Interface} in {Namespace}, through netlink")]
        public static partial void Netlink(ILogger logger, string @interface, string @namespace);

        [LoggerMessage(EventId = 6181, Level = LogLevel.Warning, Message = "VIP ownership: this silo moves no addresses, it only logs what it would own, because {Reason}")]
        public static partial void LoggingOnly(ILogger logger, string reason);
    }
}
