namespace AviOrleans.Runtime.Membership;

/// <summary>
/// The membership table of one cluster, in the contract of Orleans' <c>IMembershipTable</c>: every
/// versioned change is a conditional write against the table version that was read, and row and
/// version change together or not at all. A store that cannot be reached throws
/// <see cref="Storage.StoreUnavailableException"/>; it never reports a failed condition for that.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates the schema (idempotently) and, when <paramref name="tryInitTableVersion"/>, the version row.</summary>
    Task InitializeAsync(bool tryInitTableVersion, CancellationToken cancellationToken);

    /// <summary>Reads every row and the table version, atomically.</summary>
    Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Reads one silo's row (absent rows give an empty list) and the table version, atomically.</summary>
    Task<MembershipTableData> ReadRowAsync(SiloAddress silo, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a new row and advances the table version to <paramref name="version"/>, only if the row does not
    /// exist and the stored version tag equals <paramref name="version"/>'s tag.
    /// </summary>
    /// <returns>True when written; false when the row existed or the version did not match.</returns>
    Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a row and advances the table version to <paramref name="version"/>, only if the row exists, its tag
    /// equals <paramref name="etag"/> and the stored version tag equals <paramref name="version"/>'s tag. Stores that
    /// version only the table (every store here, like Orleans' ADO.NET tables) give rows an empty tag and do not
    /// compare <paramref name="etag"/>: the table version is the whole condition.
    /// </summary>
    /// <returns>True when written; false when either condition failed.</returns>
    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken);

    /// <summary>Writes only <see cref="MembershipEntry.IAmAliveTime"/> of the silo's row, unconditionally, without changing the version.</summary>
    Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes rows that are not <see cref="SiloStatus.Active"/> and whose I-am-alive time is before <paramref name="beforeDate"/>.</summary>
    Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken);

    /// <summary>Deletes every row and the version row of this cluster.</summary>
    Task DeleteMembershipTableEntriesAsync(CancellationToken cancellationToken);
}
