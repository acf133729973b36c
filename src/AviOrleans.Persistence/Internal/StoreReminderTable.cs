using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Orleans' ADO.NET reminder table on one of our databases: the schema is migrated (or checked) before the table
/// reads its queries, and driver failures become <see cref="StoreException"/>s.
/// </summary>
internal sealed class StoreReminderTable(IReminderTable inner, StoreDatabase database, bool migrate) : IReminderTable
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "starting the reminder table", async () =>
        {
            await database.PrepareAsync(migrate, cancellationToken).ConfigureAwait(false);
            await inner.StartAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    [Obsolete("Implement and use StartAsync instead")]
    public Task Init() => StartAsync();

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"reading the reminders of {grainId}", () => inner.ReadRows(grainId, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, "reading a range of reminders", () => inner.ReadRows(begin, end, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    /// <inheritdoc/>
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"reading reminder '{reminderName}' of {grainId}", () => inner.ReadRow(grainId, reminderName, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <inheritdoc/>
    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return StoreCall.RunAsync(database, $"writing reminder '{entry.ReminderName}' of {entry.GrainId}", () => inner.UpsertRow(entry, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <inheritdoc/>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"removing reminder '{reminderName}' of {grainId}", () => inner.RemoveRow(grainId, reminderName, eTag, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <inheritdoc/>
    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, "clearing the reminder table", () => inner.TestOnlyClearTable(cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);
}
