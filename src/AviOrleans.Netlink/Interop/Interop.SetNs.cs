using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>setns(2): moves the calling thread into the namespace the descriptor refers to.</summary>
        [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
        internal static partial int SetNs(SafeFileDescriptorHandle fd, int namespaceType);
    }
}
