using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// The product's mode when no VIP interface is given or the process lacks CAP_NET_ADMIN: it applies
/// the epoch rules, records what the host would own and logs it, and moves no address (it says so
/// once, when created). Outcomes are <see cref="AddressAction.Added"/>, <see cref="AddressAction.Kept"/>
/// or <see cref="AddressAction.Removed"/>, with no kernel or announcement times.
/// </summary>
public sealed class LoggingVipOwnership : IVipOwnership
{
    private readonly ILogger<LoggingVipOwnership> _logger;
    private ImmutableDictionary<string, OwnershipOrder> _applied = ImmutableDictionary.Create<string, OwnershipOrder>(StringComparer.Ordinal);

    /// <summary>Creates the ownership and logs, once, that it moves no address.</summary>
    public LoggingVipOwnership(ILogger<LoggingVipOwnership> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        DataPlaneLog.LoggingOnly(_logger);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, OwnershipOrder> Applied => Volatile.Read(ref _applied);

    /// <inheritdoc/>
    public Task<OwnershipAck> ApplyAsync(OwnershipOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            var current = Volatile.Read(ref _applied);
            var previous = current.GetValueOrDefault(order.SeGroup);
            if (previous is not null && order.Epoch < previous.Epoch)
            {
                var reason = $"epoch {order.Epoch} of group {order.SeGroup} is older than the applied epoch {previous.Epoch}";
                DataPlaneLog.OrderRefused(_logger, order.SeGroup, order.Epoch, reason);
                return Task.FromResult(new OwnershipAck(order.SeGroup, order.Epoch, false, reason, []));
            }

            if (Interlocked.CompareExchange(ref _applied, current.SetItem(order.SeGroup, order), current) != current)
            {
                continue;
            }

            var outcomes = Outcomes(previous, order);
            foreach (var outcome in outcomes.Where(o => o.Action != AddressAction.Kept))
            {
                DataPlaneLog.WouldChange(_logger, order.SeGroup, order.Epoch, outcome.Action, outcome.Address);
            }

            return Task.FromResult(new OwnershipAck(order.SeGroup, order.Epoch, true, null, outcomes));
        }
    }

    /// <summary>The outcome of replacing <paramref name="previous"/> by <paramref name="next"/>, without touching any kernel.</summary>
    internal static ImmutableArray<AddressOutcome> Outcomes(OwnershipOrder? previous, OwnershipOrder next)
    {
        var before = previous?.Addresses.Select(a => a.Address).ToHashSet(StringComparer.Ordinal) ?? [];
        var after = next.Addresses.Select(a => a.Address).ToHashSet(StringComparer.Ordinal);
        var outcomes = ImmutableArray.CreateBuilder<AddressOutcome>();
        foreach (var address in next.Addresses)
        {
            outcomes.Add(new AddressOutcome(address.Address, before.Contains(address.Address) ? AddressAction.Kept : AddressAction.Added, null, null, null));
        }

        foreach (var address in previous?.Addresses ?? [])
        {
            if (!after.Contains(address.Address))
            {
                outcomes.Add(new AddressOutcome(address.Address, AddressAction.Removed, null, null, null));
            }
        }

        return outcomes.ToImmutable();
    }
}
