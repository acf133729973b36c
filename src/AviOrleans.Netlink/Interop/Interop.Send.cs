using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>send(2).</summary>
        [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
        internal static unsafe partial nint Send(SafeFileDescriptorHandle socket, byte* buffer, nuint length, int flags);
    }
}
