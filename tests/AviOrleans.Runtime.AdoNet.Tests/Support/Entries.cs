using System.Net;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Tests.Support;

/// <summary>Membership rows for tests, and a field-by-field comparison (a record compares its vote list by reference).</summary>
public static class Entries
{
    // Deliberately not whole milliseconds: the stores must keep every tick.
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    public static SiloAddress Silo(int index, int generation = 100) =>
        new(new IPEndPoint(IPAddress.Parse($"10.0.0.{index}"), 11_000 + index), generation);

    public static MembershipEntry Entry(SiloAddress silo, SiloStatus status = SiloStatus.Joining, DateTimeOffset? iAmAlive = null) => new()
    {
        Silo = silo,
        SiloName = $"silo-{silo.Endpoint.Port}",
        HostName = $"host-{silo.Endpoint.Address}",
        Status = status,
        ProxyPort = 30_000 + silo.Endpoint.Port % 1000,
        StartTime = T0,
        IAmAliveTime = iAmAlive ?? T0.AddSeconds(1),
    };

    public static void Same(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.Silo, actual.Silo);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.StartTime.UtcTicks, actual.StartTime.UtcTicks);
        Assert.Equal(expected.IAmAliveTime.UtcTicks, actual.IAmAliveTime.UtcTicks);
        Assert.Equal(
            expected.SuspectTimes.Select(v => (v.Suspecter, v.Time.UtcTicks)),
            actual.SuspectTimes.Select(v => (v.Suspecter, v.Time.UtcTicks)));
    }

    public static MembershipEntry RowOf(MembershipTableData data, SiloAddress silo) =>
        Assert.Single(data.Entries, r => r.Entry.Silo == silo).Entry;
}
