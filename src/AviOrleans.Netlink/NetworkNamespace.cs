using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>
/// The network namespace in which the library's sockets are opened.
/// </summary>
/// <remarks>
/// A socket belongs to the namespace of the thread that created it for its whole life, whatever thread
/// uses it later. So a socket for another namespace is created on a short-lived dedicated thread that
/// enters the namespace with setns(2) (the fd of <c>/var/run/netns/NAME</c> as <c>ip netns add</c> makes
/// it), calls socket(2), and switches back before it ends. No thread of the thread pool ever changes
/// namespace, and the process itself stays where it is. Entering a namespace needs CAP_SYS_ADMIN;
/// a process that already runs inside the target namespace (e.g. under <c>ip netns exec</c>, or a silo in
/// a container) uses <see cref="Current"/> and needs nothing more.
/// </remarks>
public sealed class NetworkNamespace
{
    private NetworkNamespace(string? path)
    {
        Path = path;
    }

    /// <summary>The namespace of the calling process.</summary>
    public static NetworkNamespace Current { get; } = new(null);

    /// <summary>The namespace file, or null for <see cref="Current"/>.</summary>
    public string? Path { get; }

    /// <summary>A namespace made by <c>ip netns add NAME</c> (its file is <c>/var/run/netns/NAME</c>).</summary>
    public static NetworkNamespace FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a namespace name.", nameof(name));
        }

        return new NetworkNamespace("/var/run/netns/" + name);
    }

    /// <summary>A namespace given by a file such as <c>/proc/PID/ns/net</c>.</summary>
    public static NetworkNamespace FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A namespace file path cannot contain a NUL character.", nameof(path));
        }

        return new NetworkNamespace(path);
    }

    /// <inheritdoc/>
    public override string ToString() => Path ?? "current network namespace";

    /// <summary>Creates a socket in this namespace.</summary>
    internal SafeFileDescriptorHandle CreateSocket(int domain, int type, int protocol)
    {
        if (Path is null)
        {
            return CreateSocketHere(domain, type, protocol);
        }

        SafeFileDescriptorHandle? result = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = CreateSocketInside(Path, domain, type, protocol);
            }
#pragma warning disable CA1031 // The thread boundary: every failure is handed back to the caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = "netns socket",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private static SafeFileDescriptorHandle CreateSocketInside(string path, int domain, int type, int protocol)
    {
        using var target = OpenNamespaceFile(path);
        using var original = OpenNamespaceFile("/proc/thread-self/ns/net");
        using (var fd = target.Borrow())
        {
            if (LibC.setns(fd.Fd, LibC.CLONE_NEWNET) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw Errno.IsRefused(errno)
                    ? new NetlinkPermissionException($"Entering network namespace {path} was refused: CAP_SYS_ADMIN is needed ({Errno.Name(errno)}).", errno)
                    : new NetlinkException($"Entering network namespace {path} failed ({Errno.Name(errno)}).", errno);
            }
        }

        try
        {
            return CreateSocketHere(domain, type, protocol);
        }
        finally
        {
            // If switching back failed, this dedicated thread is about to end anyway, so no other code
            // runs in the wrong namespace; the socket already made is still correct.
            using var fd = original.Borrow();
            _ = LibC.setns(fd.Fd, LibC.CLONE_NEWNET);
        }
    }

    private static unsafe SafeFileDescriptorHandle OpenNamespaceFile(string path)
    {
        // open(2) takes a NUL-terminated UTF-8 path; paths with a NUL of their own are refused by FromPath/FromName.
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        int fd;
        int errno;
        fixed (byte* pathname = bytes)
        {
            fd = LibC.open(pathname, LibC.O_RDONLY | LibC.O_CLOEXEC);
            errno = Marshal.GetLastPInvokeError();
        }

        if (fd < 0)
        {
            throw errno == LibC.ENOENT
                ? new NetlinkException($"Network namespace file {path} does not exist (ENOENT).", errno)
                : new NetlinkException($"Opening network namespace file {path} failed ({Errno.Name(errno)}).", errno);
        }

        return new SafeFileDescriptorHandle(fd);
    }

    private static SafeFileDescriptorHandle CreateSocketHere(int domain, int type, int protocol)
    {
        var fd = LibC.socket(domain, type | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (Errno.IsRefused(errno))
            {
                // Only packet sockets need a capability to be created (CAP_NET_RAW); a refused netlink socket is a
                // sandbox (seccomp, LSM) rather than a missing capability, so it must not be blamed on one.
                throw domain == LibC.AF_PACKET
                    ? new NetlinkPermissionException($"Opening a packet socket (AF_PACKET) was refused: CAP_NET_RAW is needed ({Errno.Name(errno)}).", errno)
                    : new NetlinkPermissionException($"Creating a socket (domain {domain}, type {type}) was refused ({Errno.Name(errno)}).", errno);
            }

            throw new NetlinkException($"socket({domain}, {type}, {protocol}) failed ({Errno.Name(errno)}).", errno);
        }

        return new SafeFileDescriptorHandle(fd);
    }
}
