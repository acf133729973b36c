using AviOrleans.Grpc.Internal;

namespace AviOrleans.Grpc.Tests;

/// <summary>The small codecs of the protocol: grpc-timeout, grpc-message, -bin values.</summary>
public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("1H", 3600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("1n", 0.000001)]
    [InlineData("99999999m", 99_999_999.0)]
    public void TryParseTimeout_ValidUnits_Parsed(string value, double expectedMs)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(value, out var timeout));

        Assert.Equal(expectedMs, timeout.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("123456789m")]
    [InlineData("-5m")]
    [InlineData("1.5S")]
    public void TryParseTimeout_Malformed_Rejected(string value) => Assert.False(GrpcProtocol.TryParseTimeout(value, out _));

    [Fact]
    public void TryParseTimeout_Huge_CappedAtMaximum()
    {
        Assert.True(GrpcProtocol.TryParseTimeout("99999999H", out var timeout));

        Assert.Equal(GrpcProtocol.MaxTimeout, timeout);
    }

    [Theory]
    [InlineData(250.0, "250m")]
    [InlineData(0.3, "1m")]
    [InlineData(200_000_000.0, "200000S")]
    [InlineData(-1.0, "1n")]
    public void FormatTimeout_RoundsUpToWholeMilliseconds(double ms, string expected) =>
        Assert.Equal(expected, GrpcProtocol.FormatTimeout(TimeSpan.FromMilliseconds(ms)));

    [Theory]
    [InlineData("plain text, with / ? # & =", "plain text, with / ? # & =")]
    [InlineData("100%", "100%25")]
    [InlineData("naïve ✓", "na%C3%AFve %E2%9C%93")]
    [InlineData("line\nbreak", "line%0Abreak")]
    public void EncodeMessage_OnlyNonPrintableAndPercent_Escaped(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcProtocol.EncodeMessage(message));
        Assert.Equal(message, GrpcProtocol.DecodeMessage(encoded));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%Z1 and %4", "%Z1 and %4")]
    [InlineData("%FF", "\uFFFD")]
    public void DecodeMessage_BadEscapes_NeverThrow(string value, string expected) =>
        Assert.Equal(expected, GrpcProtocol.DecodeMessage(value));

    [Theory]
    [InlineData("AQID")]
    [InlineData("AQID,BAUG")]
    public void DecodeBinaryHeader_PaddedOrNot_Decoded(string value) =>
        Assert.Equal(new byte[] { 1, 2, 3 }, GrpcProtocol.DecodeBinaryHeader(value));

    [Fact]
    public void DecodeBinaryHeader_Unpadded_Decoded() =>
        Assert.Equal(new byte[] { 1, 2 }, GrpcProtocol.DecodeBinaryHeader(GrpcProtocol.EncodeBinaryHeader([1, 2])));

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void IsGrpcContentType_ProtoOnly(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
}
