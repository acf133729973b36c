namespace AviOrleans.Persistence.Internal;

/// <summary>
/// One step of a store's schema: applied once, inside the migration's transaction, and recorded by its version.
/// </summary>
/// <param name="Version">The schema version this step brings the database to; versions are never reused.</param>
/// <param name="Description">What the step does, recorded beside the version.</param>
/// <param name="Ddl">The statements that create or change tables, indexes, triggers and functions.</param>
/// <param name="Queries">
/// Rows of Orleans' <c>OrleansQuery</c> table this step adds or replaces: the query key the 10.4.2 ADO.NET
/// providers look up, and the SQL they run with their named parameters.
/// </param>
internal sealed record SchemaStep(int Version, string Description, string Ddl, IReadOnlyDictionary<string, string> Queries);
