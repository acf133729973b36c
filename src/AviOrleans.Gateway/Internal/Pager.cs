namespace AviOrleans.Gateway.Internal;

/// <summary>Cuts a list ordered by key into pages, with signed page tokens (AIP-158 rules).</summary>
internal sealed class Pager
{
    /// <summary>Page size used when the request says 0.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Larger requested page sizes are reduced to this.</summary>
    public const int MaxPageSize = 1000;

    private readonly PageTokenCodec _codec;

    public Pager(PageTokenCodec codec)
    {
        _codec = codec;
    }

    /// <summary>
    /// The page after the token's position. <paramref name="items"/> must be ordered by
    /// <paramref name="keyOf"/> (ordinal) with unique keys; <paramref name="list"/> and
    /// <paramref name="filter"/> bind the token to this list and filter.
    /// </summary>
    public Page<T> Cut<T>(IReadOnlyList<T> items, Func<T, string> keyOf, int pageSize, string pageToken, string list, string filter)
    {
        if (pageSize < 0)
        {
            throw new InvalidRequestException("page_size", "The page size must not be negative.");
        }

        var size = pageSize == 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);
        var after = _codec.Decode(pageToken, list, filter);
        var start = 0;
        if (after is not null)
        {
            // The first key greater than the last one returned: items added or removed between
            // pages neither repeat nor shift the rest.
            while (start < items.Count && string.CompareOrdinal(keyOf(items[start]), after) <= 0)
            {
                start++;
            }
        }

        var count = Math.Min(size, items.Count - start);
        var page = new T[count];
        for (var i = 0; i < count; i++)
        {
            page[i] = items[start + i];
        }

        var next = start + count < items.Count && count > 0
            ? _codec.Encode(list, filter, keyOf(page[^1]))
            : string.Empty;
        return new Page<T>(page, next, items.Count);
    }
}
