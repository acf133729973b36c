using System.Net;
using Orleans.Runtime;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>Membership entries as a silo writes them, with times at millisecond resolution (what every store keeps).</summary>
public static class Entries
{
    private static int s_generation = 1;

    public static DateTime Now() => Truncate(DateTime.UtcNow);

    public static DateTime Truncate(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    public static SiloAddress Address(int port, int? generation = null) =>
        SiloAddress.New(IPAddress.Parse("10.0.0.1"), port, generation ?? Interlocked.Increment(ref s_generation));

    public static MembershipEntry Silo(int port, SiloStatus status = SiloStatus.Active, DateTime? time = null, int proxyPort = -1)
    {
        var at = time ?? Now();
        return new MembershipEntry
        {
            SiloAddress = Address(port),
            SiloName = $"se-{port}",
            HostName = $"host-{port}.example",
            Status = status,
            ProxyPort = proxyPort < 0 ? port + 10000 : proxyPort,
            StartTime = at.AddSeconds(-5),
            IAmAliveTime = at,
            SuspectTimes = [],
        };
    }

    /// <summary>The fields Orleans' ADO.NET provider keeps, as text, for comparing two entries.</summary>
    public static string Stored(MembershipEntry entry) =>
        $"{entry.SiloAddress.ToParsableString()} name={entry.SiloName} host={entry.HostName} status={entry.Status} proxy={entry.ProxyPort} " +
        $"start={entry.StartTime.Ticks}/{entry.StartTime.Kind} alive={entry.IAmAliveTime.Ticks}/{entry.IAmAliveTime.Kind} " +
        $"suspects=[{string.Join(";", (entry.SuspectTimes ?? []).Select(s => $"{s.Item1.ToParsableString()}@{s.Item2.Ticks}"))}]";
}
