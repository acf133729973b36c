using System.Net;
using Orleans.Hosting;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// The one place that wires the cluster's store into Orleans: membership (clustering), the default grain storage
/// (grains declare <c>[PersistentState("name")]</c> without a storage name) and reminders, for silos; the gateway
/// list for gateway-only clients.
/// </summary>
internal static class ClusterStores
{
    public static void AddToSilo(ISiloBuilder builder, AviClusterOptions cluster, IPEndPoint self)
    {
        switch (cluster.Store)
        {
            case ClusterStore.Memory:
                // The primary silo holds the membership table in memory; the others find it by its endpoint.
                builder.UseDevelopmentClustering(cluster.PrimarySilo is { } primary ? Endpoints.Parse(primary) : self);
                builder.AddMemoryGrainStorageAsDefault();
                builder.UseInMemoryReminderService();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cluster), cluster.Store, "Unknown store.");
        }
    }

    public static void AddToClient(IClientBuilder builder, AviClusterOptions cluster)
    {
        switch (cluster.Store)
        {
            case ClusterStore.Memory:
                builder.UseStaticClustering([.. cluster.Gateways.Select(Endpoints.Parse)]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cluster), cluster.Store, "Unknown store.");
        }
    }
}
