namespace AviOrleans.Netlink.Internal.Native;

/// <summary>EtherTypes from &lt;linux/if_ether.h&gt; and the hardware type from &lt;linux/if_arp.h&gt; (Tmds.LibC has
/// neither header); the socket, file and namespace constants come from Tmds.LibC.</summary>
internal static class EthernetConstants
{
    public const ushort ETH_P_ALL = 0x0003;
    public const ushort ETH_P_IP = 0x0800;
    public const ushort ETH_P_ARP = 0x0806;
    public const ushort ETH_P_IPV6 = 0x86DD;

    public const ushort ARPHRD_ETHER = 1;
}
