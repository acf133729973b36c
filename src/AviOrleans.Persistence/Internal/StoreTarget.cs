namespace AviOrleans.Persistence.Internal;

/// <summary>The database one provider registration uses, and whether a silo migrates it at start or only checks it.</summary>
internal sealed record StoreTarget(StoreDatabase Database, bool Migrate);
