using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal.Native;

/// <summary><c>struct ifinfomsg</c> from &lt;linux/rtnetlink.h&gt; (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ifinfomsg
{
    public byte ifi_family;
    public byte __ifi_pad;
    public ushort ifi_type;
    public int ifi_index;
    public uint ifi_flags;
    public uint ifi_change;
}
