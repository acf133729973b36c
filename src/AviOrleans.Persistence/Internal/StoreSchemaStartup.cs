using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Migrates (or checks) the schema of every database the silo's providers use, early in the silo's start
/// (<see cref="ServiceLifecycleStage.RuntimeInitialize"/>, before membership, grain storage and reminders read their
/// queries), so that a fresh database needs no manual step and a broken one stops the start with one clear
/// <see cref="StoreException"/>.
/// </summary>
internal sealed partial class StoreSchemaStartup(IServiceProvider services, IEnumerable<StoreUse> uses, ILogger<StoreSchemaStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StoreSchemaStartup), ServiceLifecycleStage.RuntimeInitialize, StartAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var targets = uses.Select(u => services.GetRequiredKeyedService<StoreTarget>(u.TargetKey))
            .GroupBy(t => t.Database)
            .Select(g => new StoreTarget(g.Key, g.Any(t => t.Migrate)));
        foreach (var target in targets)
        {
            if (target.Migrate)
            {
                await target.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                var from = target.Database.MigratedFromVersion;
                if (from is { } version && version != target.Database.LatestVersion)
                {
                    SchemaMigrated(logger, target.Database.Description, version, target.Database.LatestVersion);
                }
                else
                {
                    SchemaCurrent(logger, target.Database.Description, target.Database.LatestVersion);
                }
            }
            else
            {
                await target.Database.CheckSchemaAsync(cancellationToken).ConfigureAwait(false);
                SchemaCurrent(logger, target.Database.Description, target.Database.LatestVersion);
            }
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "{Store}: schema migrated from version {From} to {To}")]
    private static partial void SchemaMigrated(ILogger logger, string store, int from, int to);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "{Store}: schema is current (version {Version})")]
    private static partial void SchemaCurrent(ILogger logger, string store, int version);
}
