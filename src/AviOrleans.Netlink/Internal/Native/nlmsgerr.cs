using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal.Native;

/// <summary><c>struct nlmsgerr</c> from &lt;linux/netlink.h&gt;: a negative errno (0 for an ACK) and the header of the request it answers.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct nlmsgerr
{
    public int error;
    public nlmsghdr msg;
}
