using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

/// <summary>Owns a Linux file descriptor (a socket or a namespace file); -1 is the invalid value, 0 is a valid descriptor.</summary>
internal sealed class SafeFileDescriptorHandle : SafeHandle
{
    /// <summary>Creates an invalid handle.</summary>
    public SafeFileDescriptorHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="fd"/> as returned by a libc call (-1 gives an invalid handle).</summary>
    public SafeFileDescriptorHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == new IntPtr(-1);

    /// <summary>The raw descriptor, for logging and poll(2).</summary>
    internal int Fd => (int)handle;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
        return Interop.Libc.Close((int)handle) == 0;
    }
}
