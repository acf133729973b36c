using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>
/// The silo's prober: runs what its SE's groups assign it (gateway echoes, pool health checks), driven by the SE's
/// current role for each virtual service. A silo service, not grain state, so the probes keep running while the SE
/// grain is deactivated; they stop when the silo stops.
/// </summary>
internal sealed class ServiceEngineMonitors : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, GroupMonitoring> _groups = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly MonitorServices _services;

    public ServiceEngineMonitors(IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time, IOptions<MonitoringOptions> options, ILogger<ServiceEngineMonitors> logger)
    {
        _services = new MonitorServices(silo.Name, grains, time, options.Value, logger, _stopping.Token);
    }

    /// <summary>Replaces what this SE monitors for <see cref="MonitoringAssignment.SeGroup"/>.</summary>
    public void Apply(MonitoringAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (!_groups.TryGetValue(assignment.SeGroup, out var group))
            {
                group = new GroupMonitoring(assignment.SeGroup, _services);
                _groups[assignment.SeGroup] = group;
            }

            group.Apply(assignment);
            if (group.IsEmpty && assignment.GatewayMonitors.IsEmpty && assignment.Pools.IsEmpty)
            {
                _groups.Remove(assignment.SeGroup);
            }
        }
    }

    /// <summary>The pool servers of <paramref name="vsRef"/> as this SE sees them.</summary>
    public ImmutableArray<PoolMemberHealth> GetPoolHealth(string vsRef)
    {
        lock (_gate)
        {
            return [.. _groups.Values.SelectMany(g => g.PoolHealth(vsRef))];
        }
    }

    public void Participate(ISiloLifecycle observer) =>
        observer.Subscribe(nameof(ServiceEngineMonitors), ServiceLifecycleStage.Active, _ => Task.CompletedTask, _ =>
        {
            Stop();
            return Task.CompletedTask;
        });

    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
    }

    private void Stop()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            foreach (var group in _groups.Values)
            {
                group.StopAll();
            }

            _groups.Clear();
        }
    }
}
