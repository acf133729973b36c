using AviOrleans.Persistence.Tests.Support;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Persistence.Tests.Contract;

/// <summary>
/// What Orleans' reminder service expects of its table, run against Orleans' ADO.NET reminder provider on each of
/// our databases (through the silo registration): upserts with a new ETag each time, conditional removes, reads by
/// grain, by name and by ranges of the hash ring (wrapping ones included), all of one service only.
/// </summary>
public abstract class ReminderTableContractTests : IAsyncLifetime
{
    private readonly List<OrleansServices> _owned = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract OrleansServices CreateSilo(string serviceId);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var item in _owned)
        {
            await item.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<IReminderTable> TableAsync(string? serviceId = null)
    {
        var silo = CreateSilo(serviceId ?? "r-" + Guid.NewGuid().ToString("N"));
        _owned.Add(silo);
        var table = silo.Get<IReminderTable>();
        await table.StartAsync(Ct);
        return table;
    }

    private static ReminderEntry Reminder(GrainId grain, string name, int periodSeconds = 60) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = Entries.Now().AddMinutes(1),
        Period = TimeSpan.FromSeconds(periodSeconds),
    };

    private static GrainId NewGrain() => GrainId.Create("ha-reminder", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Upsert_ThenReadRow_RoundTripsEveryField()
    {
        var table = await TableAsync();
        var entry = Reminder(NewGrain(), "failback", 90);

        var etag = await table.UpsertRow(entry, Ct);
        var read = await table.ReadRow(entry.GrainId, "failback", Ct);

        Assert.False(string.IsNullOrEmpty(etag));
        Assert.NotNull(read);
        Assert.Equal((entry.GrainId, entry.ReminderName, entry.StartAt, DateTimeKind.Utc, entry.Period, etag),
            (read.GrainId, read.ReminderName, read.StartAt, read.StartAt.Kind, read.Period, read.ETag));
    }

    [Fact]
    public async Task Upsert_Again_ReplacesTheRowWithANewETag()
    {
        var table = await TableAsync();
        var entry = Reminder(NewGrain(), "r");
        var first = await table.UpsertRow(entry, Ct);

        entry.Period = TimeSpan.FromMinutes(5);
        var second = await table.UpsertRow(entry, Ct);
        var rows = await table.ReadRows(entry.GrainId, Ct);

        Assert.NotEqual(first, second);
        var row = Assert.Single(rows.Reminders);
        Assert.Equal((TimeSpan.FromMinutes(5), second), (row.Period, row.ETag));
    }

    [Fact]
    public async Task RemoveRow_StaleETagFails_CurrentETagRemoves()
    {
        var table = await TableAsync();
        var entry = Reminder(NewGrain(), "r");
        var stale = await table.UpsertRow(entry, Ct);
        var current = await table.UpsertRow(entry, Ct);

        Assert.False(await table.RemoveRow(entry.GrainId, "r", stale!, Ct));
        Assert.NotNull(await table.ReadRow(entry.GrainId, "r", Ct));
        Assert.True(await table.RemoveRow(entry.GrainId, "r", current!, Ct));
        Assert.Null(await table.ReadRow(entry.GrainId, "r", Ct));
        Assert.False(await table.RemoveRow(entry.GrainId, "r", current!, Ct));
    }

    [Fact]
    public async Task ReadRows_ByGrain_ReturnsThatGrainsRemindersOnly()
    {
        var table = await TableAsync();
        var grain = NewGrain();
        await table.UpsertRow(Reminder(grain, "a"), Ct);
        await table.UpsertRow(Reminder(grain, "b"), Ct);
        await table.UpsertRow(Reminder(NewGrain(), "a"), Ct);

        var rows = await table.ReadRows(grain, Ct);

        Assert.Equal(["a", "b"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.Null(await table.ReadRow(grain, "c", Ct));
    }

    [Fact]
    public async Task ReadRows_ByHashRange_MatchesTheRingIncludingWrappingRanges()
    {
        var table = await TableAsync();
        var grains = Enumerable.Range(0, 64).Select(_ => NewGrain()).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Reminder(grain, "r"), Ct);
        }

        // (begin, end] on the unsigned ring; begin >= end wraps through zero. The provider stores the hash as a
        // signed integer and picks its query by signed order, so ranges across 0x80000000 matter as much as through 0.
        var ranges = new (uint Begin, uint End)[]
        {
            (0x10000000, 0x60000000),
            (0x10000000, 0x90000000),
            (0x70000000, 0xF0000000),
            (0xA0000000, 0x20000000),
            (0x90000000, 0x80000000),
            (0xF0000000, 0xF0000000),
        };
        foreach (var (begin, end) in ranges)
        {
            var rows = await table.ReadRows(begin, end, Ct);

            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();
            Assert.Equal(expected, rows.Reminders.Select(r => r.GrainId.ToString()).Order());
        }
    }

    [Fact]
    public async Task Services_AreSeparate_AndClearingOneLeavesTheOther()
    {
        var one = await TableAsync();
        var two = await TableAsync();
        var grain = NewGrain();
        await one.UpsertRow(Reminder(grain, "r"), Ct);
        await two.UpsertRow(Reminder(grain, "r"), Ct);

        await one.TestOnlyClearTable(Ct);

        Assert.Null(await one.ReadRow(grain, "r", Ct));
        Assert.NotNull(await two.ReadRow(grain, "r", Ct));
    }

    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
