using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal.Native;

/// <summary><c>struct pollfd</c> from &lt;poll.h&gt; (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct pollfd
{
    public int fd;
    public short events;
    public short revents;
}
