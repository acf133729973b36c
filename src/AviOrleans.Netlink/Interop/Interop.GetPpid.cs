using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>getppid(2): the current parent's process id (never fails).</summary>
        [LibraryImport(Library, EntryPoint = "getppid", SetLastError = true)]
        internal static partial int GetPpid();
    }
}
