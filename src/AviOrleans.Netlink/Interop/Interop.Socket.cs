using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>socket(2). Returns the raw int: a SafeHandle return would read the C int as a pointer-sized value,
        /// so -1 would not look invalid on a 64-bit host. Wrap the result in <see cref="SafeFileDescriptorHandle"/> at once.</summary>
        [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
        internal static partial int Socket(int domain, int type, int protocol);
    }
}
