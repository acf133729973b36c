namespace AviOrleans.Persistence.Internal;

/// <summary>
/// One provider registration on a silo (clustering, a grain storage, reminders, leases), by the key of its
/// <see cref="StoreTarget"/> in the service provider: the start-up participant migrates or checks each one's database.
/// </summary>
internal sealed record StoreUse(string TargetKey);
