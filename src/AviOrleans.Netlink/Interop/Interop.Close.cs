using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>close(2). Takes the raw descriptor: it is called from <see cref="SafeFileDescriptorHandle.ReleaseHandle"/>.</summary>
        [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
