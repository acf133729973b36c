using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal.Native;

/// <summary><c>struct sockaddr_nl</c> from &lt;linux/netlink.h&gt; (12 bytes). Tmds.LibC lacks it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_nl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}
