using System.Collections.Concurrent;
using AviOrleans.Grains;
using AviOrleans.Grains.DataPlane;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AviOrleans.Testing;

/// <summary>
/// The product's logging VIP ownership (epoch rules included) that also records, in order, every
/// order each silo applied and its ack, so that tests can check the ordering rules across hosts.
/// </summary>
public sealed class RecordingVipOwnership(ILogger<LoggingVipOwnership> logger, ILocalSiloDetails silo) : IVipOwnership
{
    private static long s_sequence;
    private readonly LoggingVipOwnership _inner = new(logger);

    /// <summary>Every order applied by any silo of any recording cluster in this process, in order.</summary>
    public static ConcurrentQueue<AppliedOrder> Log { get; } = new();

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, OwnershipOrder> Applied => _inner.Applied;

    /// <inheritdoc/>
    public async Task<OwnershipAck> ApplyAsync(OwnershipOrder order, CancellationToken cancellationToken)
    {
        var ack = await _inner.ApplyAsync(order, cancellationToken).ConfigureAwait(false);
        Log.Enqueue(new AppliedOrder(Interlocked.Increment(ref s_sequence), silo.Name, order, ack, TimeProvider.System.GetUtcNow()));
        return ack;
    }

    /// <summary>The orders of one group, in the order they were applied.</summary>
    public static IReadOnlyList<AppliedOrder> Of(string group) => [.. Log.Where(o => o.Order.SeGroup == group).OrderBy(o => o.Sequence)];
}

/// <summary>One order a silo applied.</summary>
public sealed record AppliedOrder(long Sequence, string Silo, OwnershipOrder Order, OwnershipAck Ack, DateTimeOffset At)
{
    /// <summary>True when the host holds <paramref name="address"/> after this order.</summary>
    public bool Holds(string address) => Ack.Applied && Order.Addresses.Any(a => a.Address == address);

    /// <summary>True when this order took <paramref name="address"/> away from the host.</summary>
    public bool Removed(string address) => Ack.Outcomes.Any(o => o.Address == address && o.Action == AddressAction.Removed);
}
