namespace AviOrleans.Netlink.Internal.Native;

/// <summary>Process-control constants from &lt;linux/prctl.h&gt;, for <see cref="Interop.Libc.Prctl"/> (Tmds.LibC has
/// neither the call nor its options).</summary>
internal static class ProcessConstants
{
    public const int PR_SET_PDEATHSIG = 1;
}
