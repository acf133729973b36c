using Orleans.Messaging;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Orleans' ADO.NET gateway list provider (what a client reads the Active gateways with) on one of our databases:
/// the schema is checked, never migrated, before the first read, and driver failures become <see cref="StoreException"/>s.
/// </summary>
internal sealed class StoreGatewayListProvider(IGatewayListProvider inner, StoreDatabase database) : IGatewayListProvider
{
    /// <inheritdoc/>
    public TimeSpan MaxStaleness => inner.MaxStaleness;

    /// <inheritdoc/>
    [Obsolete("This attribute is no longer used and all providers are considered updatable")]
    public bool IsUpdatable => true;

    /// <inheritdoc/>
    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync();

    /// <inheritdoc/>
    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "initializing the gateway list", async () =>
        {
            await database.CheckSchemaAsync(cancellationToken).ConfigureAwait(false);
            await inner.InitializeGatewayListProviderAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync();

    /// <inheritdoc/>
    public Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "reading the gateway list", () => inner.GetGatewaysAsync(cancellationToken), cancellationToken);
}
