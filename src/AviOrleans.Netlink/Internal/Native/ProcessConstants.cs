namespace AviOrleans.Netlink.Internal.Native;

/// <summary>Process-control constants from &lt;linux/prctl.h&gt; and &lt;signal.h&gt; (x86-64 and arm64 share these values).</summary>
internal static class ProcessConstants
{
    public const int PR_SET_PDEATHSIG = 1;

    public const int SIGTERM = 15;
}
