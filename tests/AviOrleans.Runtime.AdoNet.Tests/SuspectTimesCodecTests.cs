using System.Net;
using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Tests;

/// <summary>The text form of suspicion votes stored in the membership rows.</summary>
public sealed class SuspectTimesCodecTests
{
    [Fact]
    public void Encode_ThenDecode_KeepsEveryVoteToTheTick()
    {
        var votes = new[]
        {
            new SuspectVote(new SiloAddress(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 11111), 5), new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1)),
            new SuspectVote(new SiloAddress(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1), 99), new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2))),
        };

        var text = SuspectTimesCodec.Encode(votes);
        var decoded = SuspectTimesCodec.Decode(text);

        Assert.Equal("10.1.2.3:11111@5,2026-01-02T03:04:05.0000001Z|[2001:db8::1]:1@99,2026-01-02T03:04:05.0000000Z", text);
        Assert.Equal(votes.Select(v => (v.Suspecter, v.Time.UtcTicks)), decoded.Select(v => (v.Suspecter, v.Time.UtcTicks)));
        Assert.All(decoded, v => Assert.Equal(TimeSpan.Zero, v.Time.Offset));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Decode_Nothing_GivesNoVotes(string? text)
    {
        Assert.Empty(SuspectTimesCodec.Decode(text));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("10.1.2.3:1@5")]
    [InlineData("10.1.2.3:1@5,yesterday")]
    [InlineData("10.1.2.3:1@5,2026-01-02T03:04:05.0000000")]
    [InlineData("not-a-silo,2026-01-02T03:04:05.0000000Z")]
    [InlineData("10.1.2.3:1@5,2026-01-02T03:04:05.0000000Z|")]
    public void Decode_Malformed_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => SuspectTimesCodec.Decode(text));
    }
}
