using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Netlink.Internal;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// poll(2), on Tmds.LibC's <see cref="pollfd"/>. Declared here because Tmds.LibC 0.5.0 declares <c>poll</c>
        /// without <c>SetLastError</c>: its errno is lost, so a wait cut short by a signal (EINTR, which poll never
        /// restarts, and the runtime signals threads to suspend them) could not be told from a real failure.
        /// </summary>
        [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
        internal static unsafe partial int Poll(pollfd* fds, nuint count, int timeoutMilliseconds);
    }
}
