namespace AviOrleans.Grpc.Internal;

/// <summary>The services mapped on this server, for reflection, health and UNIMPLEMENTED answers.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, GrpcServiceDefinition> _services = new(StringComparer.Ordinal);
    private bool _fallbackMapped;

    public IReadOnlyList<GrpcServiceDefinition> Services
    {
        get
        {
            lock (_sync)
            {
                return [.. _services.Values];
            }
        }
    }

    public void Add(GrpcServiceDefinition service)
    {
        lock (_sync)
        {
            if (!_services.TryAdd(service.Name, service))
            {
                throw new InvalidOperationException($"Service {service.Name} is already mapped.");
            }
        }
    }

    public bool Contains(string serviceName)
    {
        lock (_sync)
        {
            return _services.ContainsKey(serviceName);
        }
    }

    /// <summary>True the first time only: the catch-all UNIMPLEMENTED route is mapped once.</summary>
    public bool TryClaimFallback()
    {
        lock (_sync)
        {
            if (_fallbackMapped)
            {
                return false;
            }

            _fallbackMapped = true;
            return true;
        }
    }
}
