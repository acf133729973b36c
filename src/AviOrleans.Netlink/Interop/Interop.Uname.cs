using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>uname(2) into a buffer of <c>struct utsname</c> (six fields of 65 bytes on Linux).</summary>
        [LibraryImport(Library, EntryPoint = "uname", SetLastError = true)]
        internal static unsafe partial int Uname(byte* buffer);
    }
}
