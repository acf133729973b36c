using AviOrleans.Persistence.Internal;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;

namespace AviOrleans.Persistence;

/// <summary>
/// The one place a host chooses its store: <c>UseAviStore</c> on a silo registers Orleans' ADO.NET clustering,
/// the grain storage the HA grains use (<see cref="StoreOptions.GrainStorageName"/>), reminders and the fencing
/// <see cref="ILeaseStore"/> (and its <see cref="LeaseStoreLocation"/>, for the VIP guard), all on the SQLite file or the PostgreSQL database of <see cref="StoreOptions"/>,
/// and migrates its schema at start; on a client it registers clustering (the gateway list) only.
/// </summary>
public static class AviStoreHostingExtensions
{
    /// <summary>Uses the store <paramref name="configure"/> describes for clustering, grain storage, reminders and leases.</summary>
    public static ISiloBuilder UseAviStore(this ISiloBuilder builder, Action<StoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        // The provider name and whether reminders are on shape the registrations, so they are read now; every
        // value is validated again, with the rest, when the host starts.
        var shape = new StoreOptions();
        configure(shape);
        var resolve = StoreRegistrations.FromStoreOptions(builder.Services, configure, silo: true);
        StoreRegistrations.AddClustering(builder, resolve);
        StoreRegistrations.AddGrainStorage(builder, shape.GrainStorageName, resolve);
        if (shape.UseReminders)
        {
            StoreRegistrations.AddReminders(builder, resolve);
        }

        StoreRegistrations.AddLeaseStore(builder, resolve);
        builder.Services.AddSingleton(sp => LeaseStoreLocation.Of(
            sp.GetRequiredService<IOptions<StoreOptions>>().Value,
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId));
        AllowStoreExceptions(builder.Services);
        return builder;
    }

    /// <summary>Uses the store <paramref name="options"/> describe (copied) for clustering, grain storage, reminders and leases.</summary>
    public static ISiloBuilder UseAviStore(this ISiloBuilder builder, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseAviStore(options.CopyTo);
    }

    /// <summary>Finds the cluster's gateways in the store <paramref name="configure"/> describes; never changes the schema.</summary>
    public static IClientBuilder UseAviStore(this IClientBuilder builder, Action<StoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        StoreRegistrations.AddClustering(builder, StoreRegistrations.FromStoreOptions(builder.Services, configure, silo: false));
        AllowStoreExceptions(builder.Services);
        return builder;
    }

    /// <summary>Finds the cluster's gateways in the store <paramref name="options"/> describe (copied); never changes the schema.</summary>
    public static IClientBuilder UseAviStore(this IClientBuilder builder, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseAviStore(options.CopyTo);
    }

    // A grain whose state cannot be read or written fails its call with the store's exception (a StoreException around
    // the driver's): Orleans serializes exceptions across silos only for namespaces it is told about, and a caller would
    // otherwise get a CodecNotFoundException instead of the store's message (the gateway's UNAVAILABLE).
    private static void AllowStoreExceptions(IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options =>
        {
            options.SupportedNamespacePrefixes.Add("AviOrleans");
            options.SupportedNamespacePrefixes.Add("Npgsql");
        });
}
