namespace AviOrleans.Netlink.Internal;

/// <summary>
/// The libc functions the netlink library declares itself, one <c>Interop.*.cs</c> file each. Every other libc call
/// goes through Tmds.LibC (<c>Tmds.Linux.LibC</c>); only a function Tmds.LibC lacks, or declares in a way that loses
/// errno, is declared here, and each file says which.
/// </summary>
internal static partial class Interop
{
    /// <summary>libc entry points. Every declaration sets the last error; read it with
    /// <see cref="System.Runtime.InteropServices.Marshal.GetLastPInvokeError"/> right after the call.</summary>
    internal static partial class Libc
    {
        /// <summary>glibc's soname, the library Tmds.LibC binds too, so both resolve the same <c>libc.so.6</c>.</summary>
        internal const string Library = "libc.so.6";
    }
}
