namespace AviOrleans.Runtime.Storage;

/// <summary>A grain's persisted state as the store holds it.</summary>
/// <param name="Payload">The serialized state.</param>
/// <param name="ETag">The store's version of it; a write must present it.</param>
public sealed record GrainStateRecord(ReadOnlyMemory<byte> Payload, string ETag);
