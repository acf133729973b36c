using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>socket(2).</summary>
        [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
        internal static partial SafeFileDescriptorHandle Socket(int domain, int type, int protocol);
    }
}
