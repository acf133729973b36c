namespace AviOrleans.Netlink.Internal;

/// <summary>Declarations of the libc functions the netlink library calls (see one <c>Interop.*.cs</c> file per call).</summary>
internal static partial class Interop
{
    /// <summary>libc entry points. Every declaration sets the last error; read it with
    /// <see cref="System.Runtime.InteropServices.Marshal.GetLastPInvokeError"/> right after the call.</summary>
    internal static partial class Libc
    {
        /// <summary>The C library (glibc's <c>libc.so.6</c> is found under this name by the runtime's probing).</summary>
        internal const string Library = "libc";
    }
}
