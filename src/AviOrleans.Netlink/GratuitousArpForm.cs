namespace AviOrleans.Netlink;

/// <summary>Which ARP operation a gratuitous ARP uses. Hosts differ in which they honour, so both exist.</summary>
public enum GratuitousArpForm
{
    /// <summary>An ARP request for the VIP from the VIP (RFC 5227 announcement; what keepalived sends).</summary>
    Request = 1,

    /// <summary>A broadcast ARP reply for the VIP whose target MAC is the sender MAC (RFC 5944 §4.6; <c>arping -A</c>).</summary>
    Reply = 2,

    /// <summary>A request and a reply each time.</summary>
    RequestAndReply = 3,
}
