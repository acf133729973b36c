using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>sendto(2).</summary>
        [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
        internal static unsafe partial nint SendTo(SafeFileDescriptorHandle socket, byte* buffer, nuint length, int flags, byte* destination, uint destinationLength);
    }
}
