using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal.Native;

/// <summary><c>struct ifa_cacheinfo</c> from &lt;linux/if_addr.h&gt;: lifetimes in seconds (0xFFFFFFFF = forever), stamps in 1/100 s.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ifa_cacheinfo
{
    public uint ifa_prefered;
    public uint ifa_valid;
    public uint cstamp;
    public uint tstamp;
}
