using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>getsockname(2).</summary>
        [LibraryImport(Library, EntryPoint = "getsockname", SetLastError = true)]
        internal static unsafe partial int GetSockName(SafeFileDescriptorHandle socket, byte* address, uint* addressLength);
    }
}
