using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>open(2) (no mode: never creates a file). Returns the raw int, as <see cref="Socket"/> does.</summary>
        [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags);
    }
}
