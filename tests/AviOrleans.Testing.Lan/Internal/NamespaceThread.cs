using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Testing.Lan.Internal;

/// <summary>
/// A dedicated thread that enters one network namespace with setns(2) for its whole life and creates sockets there.
/// </summary>
/// <remarks>
/// A socket belongs to the namespace of the thread that called socket(2), whatever thread uses it afterwards; so a
/// <see cref="Socket"/> made here connects, listens and sends inside the namespace while the harness's own threads
/// (and the thread pool) stay in the root namespace. The project's netlink library does the same for its netlink
/// sockets with a short-lived thread per socket; the probe opens a TCP socket every 10 ms, so here one thread stays.
/// </remarks>
internal sealed class NamespaceThread : IDisposable
{
    private readonly BlockingCollection<IWorkItem> _work = [];
    private readonly Thread _thread;

    private NamespaceThread(string namespaceName)
    {
        NamespaceName = namespaceName;
        _thread = new Thread(Run) { IsBackground = true, Name = "netns " + namespaceName };
    }

    /// <summary>The namespace's name under /var/run/netns.</summary>
    public string NamespaceName { get; }

    /// <summary>The namespace's identity as /proc/PID/ns/net shows it ("net:[INODE]").</summary>
    public string NamespaceId { get; private set; } = string.Empty;

    /// <summary>Starts the thread and waits until it is inside the namespace.</summary>
    public static async Task<NamespaceThread> StartAsync(string namespaceName)
    {
        var thread = new NamespaceThread(namespaceName);
        thread._thread.Start();
        await thread.InvokeAsync(() => 0).ConfigureAwait(false);
        return thread;
    }

    /// <summary>Runs <paramref name="action"/> on the thread, inside the namespace.</summary>
    public Task<T> InvokeAsync<T>(Func<T> action)
    {
        var item = new WorkItem<T>(action);
        try
        {
            _work.Add(item);
        }
        catch (InvalidOperationException ex)
        {
            item.Fail(new ObjectDisposedException($"The thread of namespace {NamespaceName} has stopped.", ex));
        }

        return item.Task;
    }

    /// <summary>Creates a socket inside the namespace.</summary>
    public Task<Socket> CreateSocketAsync(AddressFamily family, SocketType type, ProtocolType protocol) =>
        InvokeAsync(() => new Socket(family, type, protocol));

    /// <inheritdoc/>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _work.Dispose();
    }

    private void Run()
    {
        Exception? failure = null;
        try
        {
            using var file = File.OpenHandle("/var/run/netns/" + NamespaceName, FileMode.Open, FileAccess.Read);
            if (LibC.setns((int)file.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
            {
                failure = new LanException($"setns into network namespace {NamespaceName} failed (errno {Marshal.GetLastPInvokeError()}); CAP_SYS_ADMIN is needed.");
            }
            else
            {
                NamespaceId = new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? string.Empty;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = new LanException($"Network namespace {NamespaceName} cannot be opened: {ex.Message}", ex);
        }

        foreach (var work in _work.GetConsumingEnumerable())
        {
            // Never run anything in the wrong namespace: after a failed setns every request fails with the reason.
            if (failure is null)
            {
                work.Run();
            }
            else
            {
                work.Fail(failure);
            }
        }
    }

    private interface IWorkItem
    {
        void Run();

        void Fail(Exception reason);
    }

    private sealed class WorkItem<T>(Func<T> action) : IWorkItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        public void Run()
        {
            try
            {
                _completion.SetResult(action());
            }
#pragma warning disable CA1031 // The thread boundary: the failure goes to the caller's task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _completion.SetException(ex);
            }
        }

        public void Fail(Exception reason) => _completion.TrySetException(reason);
    }
}
