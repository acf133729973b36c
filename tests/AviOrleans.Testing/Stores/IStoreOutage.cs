namespace AviOrleans.Testing.Stores;

/// <summary>Takes a store down (so every call fails as if it could not be reached) and brings it back.</summary>
public interface IStoreOutage : IAsyncDisposable
{
    /// <summary>From now on the store cannot be reached.</summary>
    Task StartAsync();

    /// <summary>The store can be reached again.</summary>
    Task EndAsync();
}
