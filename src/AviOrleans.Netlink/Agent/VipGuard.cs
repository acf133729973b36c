using System.Globalization;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Netlink.Agent;

/// <summary>
/// The parent-death guard of a <see cref="VipAgent"/>: run in a small child process of the silo, it sleeps until the
/// silo's process is gone and then removes every address that carries the agent's mark, so that a silo killed on a
/// live host (SIGKILL, a crash, the OOM killer) does not leave its VIPs answering there. Addresses without the mark
/// are never touched. Needs CAP_NET_ADMIN (and CAP_SYS_ADMIN for a named namespace).
/// </summary>
/// <remarks>
/// <para>The guard asks the kernel for SIGTERM when its parent dies (<c>prctl(PR_SET_PDEATHSIG)</c>) and handles that
/// signal itself. Linux sends it when the parent <em>thread</em> that started the guard ends, not only when the whole
/// process does, and anyone may send SIGTERM (systemd stopping the unit). So each SIGTERM only wakes the guard, which
/// then compares <c>getppid(2)</c> with the silo's process id: while they are equal the silo lives and the guard
/// sleeps again; once the guard has been handed to another parent (init or a subreaper), the silo is dead.</para>
/// <para>Start it from the silo with the silo's own process id, after the agent has started, and stop it on purpose
/// with SIGKILL (<c>Process.Kill</c>) only. If the silo exits, even cleanly, the guard removes the marked addresses; a
/// silo that stops cleanly has fenced them already. A successor silo on the same host must start its agent after the
/// old guard has finished (it does within milliseconds of the death), or the guard may remove the successor's new VIPs.</para>
/// <para>The kernel lifetimes of <see cref="VipAgentOptions.AddressLifetime"/> cover a hung silo, which this guard
/// cannot see; the two complement each other.</para>
/// </remarks>
/// <example>
/// In the silo's entry point (the guard is the silo's own executable started with other arguments):
/// <code>
/// if (args is ["vip-guard", var parent, var mark])
/// {
///     using var guard = new VipGuard(int.Parse(parent), byte.Parse(mark));
///     await guard.RunAsync(armed: () => Console.WriteLine("armed"));
///     return 0;
/// }
/// // and in the silo, once the agent has started:
/// Process.Start(Environment.ProcessPath!, ["vip-guard", Environment.ProcessId.ToString(), "165"]);
/// </code>
/// </example>
public sealed class VipGuard : IDisposable
{
    private readonly int _parentProcessId;
    private readonly byte _addressProtocol;
    private readonly NetlinkRouteClient _client;
    private int _running;

    /// <summary>
    /// Prepares the guard of the silo with process id <paramref name="parentProcessId"/>, which must be this process's
    /// parent (or already gone), for the addresses marked with <paramref name="addressProtocol"/> (the agent's
    /// <see cref="VipAgentOptions.AddressProtocol"/>) in <paramref name="networkNamespace"/> (default: the current one).
    /// Opens the rtnetlink socket now, so that a missing privilege or namespace fails here rather than at the death.
    /// </summary>
    public VipGuard(int parentProcessId, byte addressProtocol, NetworkNamespace? networkNamespace = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(parentProcessId, 1);
        if (addressProtocol <= 3)
        {
            throw new ArgumentOutOfRangeException(nameof(addressProtocol), addressProtocol, "0-3 are the kernel's own address protocols, never the agent's mark.");
        }

        // A wrong id would make a live silo look dead and remove its VIPs, so it is refused before anything happens.
        if (LibC.getppid() != parentProcessId && Directory.Exists("/proc/" + parentProcessId.ToString(CultureInfo.InvariantCulture)))
        {
            throw new ArgumentException($"Process {parentProcessId} is alive but is not the parent of this process ({(int)LibC.getppid()}): the guard must be started by the silo it guards.", nameof(parentProcessId));
        }

        _parentProcessId = parentProcessId;
        _addressProtocol = addressProtocol;
        _client = NetlinkRouteClient.Open(networkNamespace);
    }

    /// <summary>
    /// Arms the parent-death signal, calls <paramref name="armed"/> once the guard would see the parent's death, waits
    /// for it, then removes every address marked with the mark and returns them. If the parent is already gone it removes
    /// them at once. Can run once per process: the parent-death signal belongs to the process.
    /// </summary>
    /// <exception cref="NetlinkException">The signal could not be armed, or an address could not be removed (the
    /// others are removed all the same).</exception>
    public async Task<IReadOnlyList<InterfaceAddress>> RunAsync(Action? armed = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("The guard runs once per process.");
        }

        using var wake = new SemaphoreSlim(0);
        // Registered before the signal is armed, so the runtime's default SIGTERM handling (shutting the process down)
        // never runs in the guard; a count, not a flag, so that a signal between the check and the wait is not lost.
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            wake.Release();
        });
        if (Interop.Libc.Prctl(ProcessConstants.PR_SET_PDEATHSIG, (nuint)LibC.SIGTERM, 0, 0, 0) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new NetlinkException($"Arming the parent-death signal failed ({Errno.Name(errno)}).", errno);
        }

        // Checked after arming: a parent that died before prctl sent no signal, but has already handed us to another.
        if (LibC.getppid() == _parentProcessId)
        {
            armed?.Invoke();
            while (LibC.getppid() == _parentProcessId)
            {
                await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return RemoveMarkedAddresses();
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private List<InterfaceAddress> RemoveMarkedAddresses()
    {
        var marked = _client.ListAddresses().Where(a => a.Protocol == _addressProtocol).ToList();
        NetlinkException? failure = null;
        foreach (var onLink in marked.GroupBy(a => a.InterfaceName, StringComparer.Ordinal))
        {
            try
            {
                var results = NetlinkHostNetwork.DeleteKeepingSecondaries(_client, [.. onLink.Select(a => new AddressRequest(a.Address, a.PrefixLength, a.InterfaceName))]);
                failure ??= results.FirstOrDefault(r => !r.Succeeded)?.Error;
            }
            catch (NetworkInterfaceNotFoundException)
            {
                // The link vanished after the listing and took its addresses with it: nothing is left to remove.
            }
        }

        return failure is null ? marked : throw failure;
    }
}
