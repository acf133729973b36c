namespace AviOrleans.Runtime.Storage;

/// <summary>
/// Leases in memory, for tests and simulations: the "store's clock" is the <see cref="TimeProvider"/> given
/// (a test drives it), and a switch makes it play a store that is down.
/// </summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Owner, long Epoch, DateTimeOffset ExpiresAt)> _leases = [];
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
            ThrowIfUnavailable();
            var now = _clock.GetUtcNow();
            long epoch = 1;
            if (_leases.TryGetValue(name, out var current))
            {
                if (current.ExpiresAt > now && current.Owner != owner)
                {
                    return Task.FromResult<Lease?>(null);
                }

                epoch = current.Epoch + 1;
            }

            _leases[name] = (owner, epoch, now + duration);
            return Task.FromResult<Lease?>(new Lease(name, owner, epoch, now + duration, now));
        }
    }

    /// <inheritdoc/>
    public Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        lock (_lock)
        {
            ThrowIfUnavailable();
            var now = _clock.GetUtcNow();
            if (!_leases.TryGetValue(name, out var current) || current.Owner != owner || current.Epoch != epoch || current.ExpiresAt <= now)
            {
                return Task.FromResult<Lease?>(null);
            }

            _leases[name] = current with { ExpiresAt = now + duration };
            return Task.FromResult<Lease?>(new Lease(name, owner, epoch, now + duration, now));
        }
    }

    /// <inheritdoc/>
    public Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, TimeSpan.FromSeconds(1));
        lock (_lock)
        {
            ThrowIfUnavailable();
            var now = _clock.GetUtcNow();
            if (!_leases.TryGetValue(name, out var current) || current.Owner != owner || current.Epoch != epoch || current.ExpiresAt <= now)
            {
                return Task.FromResult(false);
            }

            _leases[name] = current with { ExpiresAt = now };
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_lock)
        {
            ThrowIfUnavailable();
            return Task.FromResult(_leases.TryGetValue(name, out var current)
                ? new Lease(name, current.Owner, current.Epoch, current.ExpiresAt, _clock.GetUtcNow())
                : null);
        }
    }

    private void ThrowIfUnavailable()
    {
        if (!IsAvailable)
        {
            throw new StoreUnavailableException("The in-memory lease store is switched off.");
        }
    }
}
