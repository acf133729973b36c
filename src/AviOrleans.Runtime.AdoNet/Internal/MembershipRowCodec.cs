using System.Data.Common;
using System.Globalization;
using System.Net;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// How a membership row maps to columns, the same in SQLite and PostgreSQL. Times are UTC ticks, exact on
/// the round trip. The table version is the only tag (Orleans' ADO.NET tables do the same), so rows carry an
/// empty row tag and the version tag is the version number as text.
/// </summary>
internal static class MembershipRowCodec
{
    /// <summary>The row columns in the order <see cref="ReadEntry"/> expects them, starting at its offset.</summary>
    public const string Columns =
        "m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.proxy_port, m.suspect_times, m.start_time, m.i_am_alive_time";

    public static TableVersion ToTableVersion(long version)
    {
        var number = checked((int)version);
        return new TableVersion(number, number.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The stored version number a tag stands for, or null for a tag this store never handed out.</summary>
    public static long? ParseVersionTag(string? tag) =>
        long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    public static MembershipEntry ReadEntry(DbDataReader reader, int offset)
    {
        var silo = new SiloAddress(
            new IPEndPoint(IPAddress.Parse(reader.GetString(offset)), reader.GetInt32(offset + 1)),
            reader.GetInt32(offset + 2));
        return new MembershipEntry
        {
            Silo = silo,
            SiloName = reader.GetString(offset + 3),
            HostName = reader.GetString(offset + 4),
            Status = (SiloStatus)reader.GetInt32(offset + 5),
            ProxyPort = reader.GetInt32(offset + 6),
            SuspectTimes = SuspectTimesCodec.Decode(reader.GetString(offset + 7)),
            StartTime = FromTicks(reader.GetInt64(offset + 8)),
            IAmAliveTime = FromTicks(reader.GetInt64(offset + 9)),
        };
    }

    /// <summary>Adds every parameter a row write uses (<c>@address</c>, <c>@port</c>, ...).</summary>
    public static void AddEntryParameters(DbCommand command, MembershipEntry entry)
    {
        AddKeyParameters(command, entry.Silo);
        StoreDatabase.Parameter(command, "@silo_name", entry.SiloName);
        StoreDatabase.Parameter(command, "@host_name", entry.HostName);
        StoreDatabase.Parameter(command, "@status", (int)entry.Status);
        StoreDatabase.Parameter(command, "@proxy_port", entry.ProxyPort);
        StoreDatabase.Parameter(command, "@suspect_times", SuspectTimesCodec.Encode(entry.SuspectTimes));
        StoreDatabase.Parameter(command, "@start_time", entry.StartTime.UtcTicks);
        StoreDatabase.Parameter(command, "@i_am_alive_time", entry.IAmAliveTime.UtcTicks);
    }

    public static void AddKeyParameters(DbCommand command, SiloAddress silo)
    {
        StoreDatabase.Parameter(command, "@address", silo.Endpoint.Address.ToString());
        StoreDatabase.Parameter(command, "@port", silo.Endpoint.Port);
        StoreDatabase.Parameter(command, "@generation", silo.Generation);
    }

    /// <summary>Checks a row before it is written, so bad input fails with a clear error and changes nothing.</summary>
    public static void Validate(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.SiloName, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.HostName, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.SuspectTimes, nameof(entry));
        if (entry.Silo.Endpoint is null)
        {
            throw new ArgumentException("The entry has no silo address.", nameof(entry));
        }
    }

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}
