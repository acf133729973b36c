using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>prctl(2). Declared here because Tmds.LibC 0.5.0 lacks it. Variadic in C; declared with the four
        /// unsigned long arguments the kernel reads, which is how the Linux x86-64 and arm64 calling conventions pass
        /// them to a variadic function as well.</summary>
        [LibraryImport(Library, EntryPoint = "prctl", SetLastError = true)]
        internal static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);
    }
}
