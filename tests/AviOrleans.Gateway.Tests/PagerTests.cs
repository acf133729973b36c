using AviOrleans.Gateway;
using AviOrleans.Gateway.Internal;

namespace AviOrleans.Gateway.Tests;

public sealed class PagerTests
{
    private static readonly string[] Names = [.. Enumerable.Range(0, 7).Select(i => "vs-" + i)];

    [Fact]
    public void Cut_WalksAllPages_ReturnsEveryItemOnceInOrder()
    {
        var pager = new Pager(new PageTokenCodec());
        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;

        do
        {
            var page = pager.Cut(Names, n => n, 3, token, "vs", string.Empty);
            Assert.Equal(7, page.TotalSize);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(Names, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void Cut_ItemDeletedBetweenPages_DoesNotSkipOrRepeat()
    {
        var pager = new Pager(new PageTokenCodec());
        var first = pager.Cut(Names, n => n, 3, string.Empty, "vs", string.Empty);
        var remaining = Names.Where(n => n != "vs-2" && n != "vs-3").ToArray();

        var second = pager.Cut(remaining, n => n, 3, first.NextPageToken, "vs", string.Empty);

        Assert.Equal(["vs-4", "vs-5", "vs-6"], second.Items);
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(5000, 7)]
    public void Cut_ZeroOrHugePageSize_UsesDefaultOrMaximum(int size, int expected)
    {
        var page = new Pager(new PageTokenCodec()).Cut(Names, n => n, size, string.Empty, "vs", string.Empty);

        Assert.Equal(expected, page.Items.Count);
        Assert.Equal(string.Empty, page.NextPageToken);
    }

    [Fact]
    public void Cut_NegativePageSize_IsRefusedOnPageSize()
    {
        var ex = Assert.Throws<InvalidRequestException>(() => new Pager(new PageTokenCodec()).Cut(Names, n => n, -1, string.Empty, "vs", string.Empty));

        Assert.Equal("page_size", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public void Decode_AlteredToken_IsRefused()
    {
        var codec = new PageTokenCodec();
        var token = codec.Encode("vs", string.Empty, "vs-2");
        var chars = token.ToCharArray();
        chars[4] = chars[4] == 'A' ? 'B' : 'A';

        var ex = Assert.Throws<InvalidRequestException>(() => codec.Decode(new string(chars), "vs", string.Empty));

        Assert.Equal("page_token", Assert.Single(ex.Violations).Field);
    }

    [Theory]
    [InlineData("se", "")]
    [InlineData("vs", "group-b")]
    public void Decode_TokenOfAnotherListOrFilter_IsRefused(string list, string filter)
    {
        var codec = new PageTokenCodec();
        var token = codec.Encode("vs", "group-a", "vs-2");

        var ex = Assert.Throws<InvalidRequestException>(() => codec.Decode(token, list, filter));

        Assert.Contains("another list or filter", ex.Violations[0].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("AQ")]
    [InlineData("x")]
    public void Decode_Garbage_IsRefused(string token)
    {
        Assert.Throws<InvalidRequestException>(() => new PageTokenCodec().Decode(token, "vs", string.Empty));
    }

    [Fact]
    public void Decode_TokenOfAnotherProcessKey_IsRefused()
    {
        var token = new PageTokenCodec().Encode("vs", string.Empty, "vs-2");

        Assert.Throws<InvalidRequestException>(() => new PageTokenCodec().Decode(token, "vs", string.Empty));
    }
}
