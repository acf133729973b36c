using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>setsockopt(2).</summary>
        [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
        internal static unsafe partial int SetSockOpt(SafeFileDescriptorHandle socket, int level, int optionName, void* optionValue, uint optionLength);
    }
}
