namespace AviOrleans.Runtime.Membership;

/// <summary>A consistent snapshot of the membership table: its rows and its version, read atomically.</summary>
/// <param name="Entries">The rows, each with its row tag (stores that version only the table may give an empty tag).</param>
/// <param name="Version">The table version at the time of the read.</param>
public sealed record MembershipTableData(IReadOnlyList<MembershipRow> Entries, TableVersion Version);

/// <summary>A membership row with the store's tag for it.</summary>
/// <param name="Entry">The row.</param>
/// <param name="ETag">The store's tag for this row.</param>
public readonly record struct MembershipRow(MembershipEntry Entry, string ETag);
