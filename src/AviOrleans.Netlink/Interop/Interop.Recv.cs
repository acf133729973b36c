using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>recv(2).</summary>
        [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
        internal static unsafe partial nint Recv(SafeFileDescriptorHandle socket, byte* buffer, nuint length, int flags);
    }
}
