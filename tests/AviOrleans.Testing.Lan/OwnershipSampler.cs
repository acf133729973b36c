using System.Net;
using AviOrleans.Netlink;

namespace AviOrleans.Testing.Lan;

/// <summary>
/// Samples the whole LAN every <c>interval</c> (default 10 ms) on a thread of its own: each host's addresses and link
/// state, and each client's neighbour entries, through rtnetlink dumps in every namespace (the project's
/// <see cref="NetlinkRouteClient"/>). <see cref="Duplicates"/> lists the samples in which a VIP was on two hosts at once,
/// both with their link up: two machines that would both answer for it.
/// </summary>
public sealed class OwnershipSampler : IAsyncDisposable
{
    private readonly VirtualLan _lan;
    private readonly HashSet<IPAddress> _vips;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private readonly List<OwnershipSample> _samples = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private Exception? _failure;

    private OwnershipSampler(VirtualLan lan, IEnumerable<IPAddress> vips, TimeSpan interval)
    {
        _lan = lan;
        _vips = [.. vips];
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "ownership sampler" };
        _thread.Start();
    }

    /// <summary>The samples so far, in time order.</summary>
    public IReadOnlyList<OwnershipSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Starts sampling <paramref name="vips"/> on <paramref name="lan"/>.</summary>
    public static OwnershipSampler Start(VirtualLan lan, IEnumerable<IPAddress> vips, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(lan);
        ArgumentNullException.ThrowIfNull(vips);
        var period = interval ?? TimeSpan.FromMilliseconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromMilliseconds(1));
        return new OwnershipSampler(lan, vips, period);
    }

    /// <summary>The duplicate ownerships among the samples that started within [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public IReadOnlyList<DuplicateOwnership> Duplicates(LanTime? from = null, LanTime? to = null)
    {
        var result = new List<DuplicateOwnership>();
        foreach (var sample in Samples)
        {
            if ((from is { } f && sample.Started < f) || (to is { } t && sample.Started > t))
            {
                continue;
            }

            foreach (var vip in _vips)
            {
                var owners = sample.Owners(vip);
                if (owners.Count > 1)
                {
                    result.Add(new DuplicateOwnership(sample.Started, vip, owners));
                }
            }
        }

        return result;
    }

    /// <summary>Waits until a sample satisfies <paramref name="condition"/> (earlier samples count).</summary>
    public async Task<OwnershipSample> WaitForAsync(Func<OwnershipSample, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = LanTime.Now + timeout;
        var seen = 0;
        while (true)
        {
            var samples = Samples;
            for (; seen < samples.Count; seen++)
            {
                if (condition(samples[seen]))
                {
                    return samples[seen];
                }
            }

            ThrowIfFailed();
            if (LanTime.Now > deadline)
            {
                throw new TimeoutException($"No ownership sample matched within {timeout.TotalSeconds:0.##} s ({samples.Count} samples).");
            }

            await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops sampling; throws what stopped the sampler early, if anything did.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await _stopped.Task.ConfigureAwait(false);
        ThrowIfFailed();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new LanException("The ownership sampler stopped: " + failure.Message, failure);
        }
    }

    private void Run()
    {
        try
        {
            var next = LanTime.Now;
            while (!_stopping)
            {
                var sample = Take();
                lock (_lock)
                {
                    _samples.Add(sample);
                }

                next += _interval;
                var wait = next - LanTime.Now;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }
                else
                {
                    // Behind (a slow dump, a descheduled thread): sample again at once, never in a burst.
                    next = LanTime.Now;
                }
            }
        }
#pragma warning disable CA1031 // The thread boundary: the failure is kept and rethrown to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ex;
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private OwnershipSample Take()
    {
        var started = LanTime.Now;
        var hosts = new List<HostOwnership>(_lan.Hosts.Count);
        foreach (var host in _lan.Hosts)
        {
            var (linkUp, addresses) = host.ReadInterface();
            hosts.Add(new HostOwnership(host.Name, linkUp, [.. addresses.Where(_vips.Contains)]));
        }

        var arp = new List<ClientArpEntry>();
        foreach (var client in _lan.Clients)
        {
            foreach (var entry in client.Netlink.ListNeighbors())
            {
                if (entry.InterfaceName == LanNode.InterfaceName && _vips.Contains(entry.Address))
                {
                    arp.Add(new ClientArpEntry(client.Name, entry.Address, entry.LinkLayerAddress, _lan.NodeWithMac(entry.LinkLayerAddress)?.Name, entry.State));
                }
            }
        }

        return new OwnershipSample(started, LanTime.Now, hosts, arp);
    }
}
