using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>What every probe of a silo shares.</summary>
internal sealed record MonitorServices(
    string SeName,
    IGrainFactory Grains,
    TimeProvider Time,
    MonitoringOptions Options,
    ILogger Logger,
    CancellationToken Stopping);
