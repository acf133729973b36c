using System.Collections.Frozen;
using System.Globalization;
using Tmds.Linux;

namespace AviOrleans.Netlink.Internal.Native;

/// <summary>
/// The C names of the errno values the library reports, for messages. The values are Tmds.LibC's
/// (<c>LibC.EPERM</c>, ...), which has no name lookup of its own.
/// </summary>
internal static class Errno
{
    private static readonly FrozenDictionary<int, string> Names = new Dictionary<int, string>
    {
        [LibC.EPERM] = nameof(LibC.EPERM),
        [LibC.ENOENT] = nameof(LibC.ENOENT),
        [LibC.ESRCH] = nameof(LibC.ESRCH),
        [LibC.EINTR] = nameof(LibC.EINTR),
        [LibC.ENXIO] = nameof(LibC.ENXIO),
        [LibC.EAGAIN] = nameof(LibC.EAGAIN),
        [LibC.EACCES] = nameof(LibC.EACCES),
        [LibC.EEXIST] = nameof(LibC.EEXIST),
        [LibC.ENODEV] = nameof(LibC.ENODEV),
        [LibC.EINVAL] = nameof(LibC.EINVAL),
        [LibC.ERANGE] = nameof(LibC.ERANGE),
        [LibC.EOPNOTSUPP] = nameof(LibC.EOPNOTSUPP),
        [LibC.EADDRNOTAVAIL] = nameof(LibC.EADDRNOTAVAIL),
        [LibC.ENETDOWN] = nameof(LibC.ENETDOWN),
        [LibC.ENOBUFS] = nameof(LibC.ENOBUFS),
        [LibC.ETIMEDOUT] = nameof(LibC.ETIMEDOUT),
    }.ToFrozenDictionary();

    /// <summary>EPERM or EACCES: the kernel refused for want of a privilege (or a sandbox did).</summary>
    public static bool IsRefused(int errno) => errno == LibC.EPERM || errno == LibC.EACCES;

    /// <summary>The C name of an errno value for messages ("EPERM"), or "errno N" for one without a name here.</summary>
    public static string Name(int errno) =>
        Names.TryGetValue(errno, out var name) ? name : "errno " + errno.ToString(CultureInfo.InvariantCulture);
}
