namespace AviOrleans.Persistence.Leases;

/// <summary>
/// Leases in memory, for tests and simulations of one process: the "store's clock" is the <see cref="TimeProvider"/>
/// given (a test drives it), and a switch makes it play a store that is down. Same contract as the SQL stores.
/// </summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <summary>Creates the store with <paramref name="clock"/> as the store's clock. Default: the system clock.</summary>
    public InMemoryLeaseStore(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>When false every call throws <see cref="StoreUnavailableException"/>. Default: true.</summary>
    public bool IsAvailable { get; set; } = true;

    /// <inheritdoc/>
    public Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        lock (_lock)
        {
            var now = Now($"acquiring lease '{name}'");
            long epoch = 1;
            if (_leases.TryGetValue(name, out var current))
            {
                if (current.ExpiresAt > now && current.Owner != owner)
                {
                    return Task.FromResult<Lease?>(null);
                }

                epoch = current.Epoch + 1;
            }

            return Task.FromResult<Lease?>(Store(new Lease(name, owner, epoch, now + duration, now, now)));
        }
    }

    /// <inheritdoc/>
    public Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        lock (_lock)
        {
            var now = Now($"renewing lease '{name}'");
            if (!_leases.TryGetValue(name, out var current) || current.Owner != owner || current.Epoch != epoch || current.ExpiresAt <= now)
            {
                return Task.FromResult<Lease?>(null);
            }

            return Task.FromResult<Lease?>(Store(current with { ExpiresAt = now + duration, RenewedAt = now, StoreTime = now }));
        }
    }

    /// <inheritdoc/>
    public Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken)
    {
        LeaseArguments.ValidateName(name);
        LeaseArguments.ValidateName(owner, nameof(owner));
        lock (_lock)
        {
            var now = Now($"releasing lease '{name}'");
            if (!_leases.TryGetValue(name, out var current) || current.Owner != owner || current.Epoch != epoch || current.ExpiresAt <= now)
            {
                return Task.FromResult(false);
            }

            Store(current with { ExpiresAt = now, StoreTime = now });
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<Lease?> RevokeAsync(string name, long epoch, string revokedBy, TimeSpan holdFor, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, revokedBy, holdFor);
        lock (_lock)
        {
            var now = Now($"revoking lease '{name}'");
            if (!_leases.TryGetValue(name, out var current) || current.Epoch != epoch)
            {
                return Task.FromResult<Lease?>(null);
            }

            return Task.FromResult<Lease?>(Store(new Lease(name, revokedBy, epoch + 1, now + holdFor, now, now, revokedBy)));
        }
    }

    /// <inheritdoc/>
    public Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        LeaseArguments.ValidateName(name);
        lock (_lock)
        {
            var now = Now($"reading lease '{name}'");
            return Task.FromResult(_leases.TryGetValue(name, out var current) ? current with { StoreTime = now } : null);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Lease>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = Now("reading all leases");
            return Task.FromResult<IReadOnlyList<Lease>>(_leases.Values.Select(l => l with { StoreTime = now }).ToList());
        }
    }

    private DateTimeOffset Now(string operation) => IsAvailable
        ? _clock.GetUtcNow()
        : throw new StoreUnavailableException($"The in-memory lease store is unavailable while {operation}: it is switched off.");

    private Lease Store(Lease lease)
    {
        _leases[lease.Name] = lease;
        return lease;
    }
}
