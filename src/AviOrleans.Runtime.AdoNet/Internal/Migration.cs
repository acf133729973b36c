namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>One step of a store's schema: applied once, in its own transaction, recorded by its version.</summary>
/// <param name="Version">The schema version this step brings the database to; versions are never reused.</param>
/// <param name="Description">What the step does, recorded beside the version.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record Migration(int Version, string Description, string Sql);
