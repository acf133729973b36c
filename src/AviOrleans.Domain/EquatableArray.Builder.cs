namespace AviOrleans.Domain;

/// <summary>Creates <see cref="EquatableArray{T}"/> values (the collection-expression builder).</summary>
public static class EquatableArray
{
    /// <summary>Copies <paramref name="items"/> into a new list.</summary>
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new([.. items]);

    /// <summary>Copies <paramref name="items"/> into a new list.</summary>
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new([.. items]);
}
