namespace AviOrleans.Grpc;

/// <summary>
/// The health that <c>grpc.health.v1.Health</c> reports. The host drives it: the silo sets the
/// overall status from its membership state (<see cref="HealthServingStatus.NotServing"/> while
/// joining or shutting down). Every mapped service follows the overall status unless given its
/// own, and is never Serving while the server as a whole is not.
/// </summary>
public sealed class GrpcHealthStatusProvider
{
    private readonly Lock _sync = new();
    private readonly HashSet<string> _mappedServices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HealthServingStatus> _overrides = new(StringComparer.Ordinal);
    private readonly List<Action> _subscribers = [];
    private HealthServingStatus _overall = HealthServingStatus.Serving;

    /// <summary>The status of the server as a whole (service name ""). Default: Serving.</summary>
    public HealthServingStatus OverallStatus
    {
        get
        {
            lock (_sync)
            {
                return _overall;
            }
        }
    }

    /// <summary>Sets the status of the server as a whole; watchers are told at once.</summary>
    public void SetOverallStatus(HealthServingStatus status)
    {
        lock (_sync)
        {
            if (_overall == status)
            {
                return;
            }

            _overall = status;
        }

        Notify();
    }

    /// <summary>Gives <paramref name="service"/> its own status (it still reports NotServing while the server does).</summary>
    public void SetServiceStatus(string service, HealthServingStatus status)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        lock (_sync)
        {
            if (_overrides.TryGetValue(service, out var old) && old == status)
            {
                return;
            }

            _overrides[service] = status;
        }

        Notify();
    }

    /// <summary>Removes <paramref name="service"/>'s own status: it follows the overall status again.</summary>
    public void ClearServiceStatus(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        bool removed;
        lock (_sync)
        {
            removed = _overrides.Remove(service);
        }

        if (removed)
        {
            Notify();
        }
    }

    /// <summary>
    /// The status of <paramref name="service"/> ("" for the server); false when the service is
    /// neither mapped nor given a status.
    /// </summary>
    public bool TryGetStatus(string service, out HealthServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_sync)
        {
            if (service.Length == 0)
            {
                status = _overall;
                return true;
            }

            var hasOverride = _overrides.TryGetValue(service, out var own);
            if (!hasOverride && !_mappedServices.Contains(service))
            {
                status = HealthServingStatus.Unknown;
                return false;
            }

            status = _overall == HealthServingStatus.NotServing ? HealthServingStatus.NotServing
                : hasOverride ? own
                : _overall;
            return true;
        }
    }

    internal void AddMappedService(string service)
    {
        lock (_sync)
        {
            _mappedServices.Add(service);
        }

        Notify();
    }

    /// <summary>Calls <paramref name="onChange"/> after every change until the result is disposed.</summary>
    internal IDisposable Subscribe(Action onChange)
    {
        lock (_sync)
        {
            _subscribers.Add(onChange);
        }

        return new Subscription(this, onChange);
    }

    private void Notify()
    {
        Action[] subscribers;
        lock (_sync)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber();
        }
    }

    private sealed class Subscription(GrpcHealthStatusProvider owner, Action onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._sync)
            {
                owner._subscribers.Remove(onChange);
            }
        }
    }
}
