using System.Runtime.InteropServices;
using Tmds.Linux;

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

    /// <summary>
    /// Lends the raw descriptor for the libc calls of one <c>using</c> scope. Tmds.LibC takes descriptors as
    /// <c>int</c>, so the handle is referenced for the scope: a concurrent <see cref="SafeHandle.Dispose()"/> then waits
    /// for the scope to end before close(2), and the number cannot be closed and reused by another file mid-call.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    internal Lease Borrow()
    {
        var added = false;
        DangerousAddRef(ref added);
        return new Lease(this);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
        return LibC.close((int)handle) == 0;
    }

    /// <summary>The descriptor lent by <see cref="Borrow"/>; disposing it gives the reference back.</summary>
    internal readonly ref struct Lease
    {
        private readonly SafeFileDescriptorHandle _owner;

        internal Lease(SafeFileDescriptorHandle owner) => _owner = owner;

        /// <summary>The raw descriptor, valid until the lease is disposed.</summary>
        public int Fd => (int)_owner.handle;

        /// <summary>Gives the reference back (the last one closes the descriptor).</summary>
        public void Dispose() => _owner.DangerousRelease();
    }
}
