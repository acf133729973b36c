namespace AviOrleans.Gateway.Internal;

/// <summary>One page of a List result.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextPageToken">The token of the next page; empty on the last page.</param>
/// <param name="TotalSize">Number of items in the whole list.</param>
internal sealed record Page<T>(IReadOnlyList<T> Items, string NextPageToken, int TotalSize);
