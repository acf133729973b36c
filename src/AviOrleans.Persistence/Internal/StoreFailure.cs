namespace AviOrleans.Persistence.Internal;

/// <summary>The kinds of store failure, each becoming its own <see cref="StoreException"/>.</summary>
internal enum StoreFailure
{
    /// <summary>Not reachable or not answering in time: <see cref="StoreUnavailableException"/>.</summary>
    Unavailable = 1,

    /// <summary>Reachable but refusing the configuration: <see cref="StoreConfigurationException"/>.</summary>
    Configuration = 2,

    /// <summary>The schema is missing or not this build's: <see cref="StoreSchemaException"/>.</summary>
    Schema = 3,
}
