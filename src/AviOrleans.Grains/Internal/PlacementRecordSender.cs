using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// Delivers placement records to their virtual service grains in the background, a few at a time, in order per
/// virtual service. A failover of a thousand virtual services makes two thousand records, each a virtual service
/// grain's activation and store write: sent all at once they took the store connections and the CPU that the hosts'
/// lease renewals needed at that very moment (the survivor fenced itself, bench/results/mass-failover.md). A silo
/// service rather than a queue in the group grain, so that records outlive the activation that made them (the runtime
/// deactivates a group mid-failover when its directory entry was on the silo that died).
/// </summary>
internal sealed class PlacementRecordSender(IGrainFactory grains, ILogger<PlacementRecordSender> logger)
{
    private const int InFlight = 8;

    private readonly Lock _lock = new();
    private readonly Queue<PlacementRecord> _queue = new();
    private bool _pumping;

    /// <summary>Queues <paramref name="record"/>; never waits for its delivery (the caller may be a grain that the virtual
    /// service grain is calling).</summary>
    public void Send(PlacementRecord record)
    {
        lock (_lock)
        {
            _queue.Enqueue(record);
            if (_pumping)
            {
                return;
            }

            _pumping = true;
        }

        _ = Task.Run(PumpAsync);
    }

    private async Task PumpAsync()
    {
        var batch = new List<PlacementRecord>(InFlight);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            batch.Clear();
            names.Clear();
            lock (_lock)
            {
                while (batch.Count < InFlight && _queue.TryPeek(out var next) && names.Add(next.VsRef))
                {
                    batch.Add(_queue.Dequeue());
                }

                if (batch.Count == 0)
                {
                    _pumping = false;
                    return;
                }
            }

            await Task.WhenAll(batch.Select(SendOneAsync)).ConfigureAwait(false);
        }
    }

    private async Task SendOneAsync(PlacementRecord record)
    {
        try
        {
            await grains.GetGrain<IVirtualServiceGrain>(record.VsRef).RecordAsync(record).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            GrainLog.RecordFailed(logger, record.VsRef, ex);
        }
    }
}
