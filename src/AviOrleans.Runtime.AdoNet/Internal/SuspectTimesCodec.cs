using System.Globalization;
using System.Text;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// The text form of a row's suspicion votes, in the spirit of Orleans' ADO.NET column
/// (<c>silo,date|silo,date</c>), with the date as round-trip ISO 8601 UTC so that no precision is lost.
/// Neither a silo address (<c>ip:port@generation</c>) nor such a date contains ',' or '|'.
/// </summary>
internal static class SuspectTimesCodec
{
    public static string Encode(IReadOnlyList<SuspectVote> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var text = new StringBuilder();
        foreach (var vote in votes)
        {
            if (text.Length > 0)
            {
                text.Append('|');
            }

            text.Append(vote.Suspecter.ToString()).Append(',')
                .Append(vote.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    public static IReadOnlyList<SuspectVote> Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var votes = new List<SuspectVote>();
        foreach (var item in text.Split('|'))
        {
            var comma = item.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0
                || !DateTime.TryParseExact(item.AsSpan(comma + 1), "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
                || time.Kind != DateTimeKind.Utc)
            {
                throw new FormatException($"'{item}' is not a suspicion vote of the form silo,utc-time.");
            }

            votes.Add(new SuspectVote(SiloAddress.Parse(item[..comma]), new DateTimeOffset(time)));
        }

        return votes;
    }
}
