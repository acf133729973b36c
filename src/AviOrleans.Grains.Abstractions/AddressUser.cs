namespace AviOrleans.Grains;

/// <summary>An object that uses an address: a virtual service, a shared VIP set, or a group (floating interface IPs).</summary>
/// <param name="Kind">Avi's object name: <c>virtualservice</c>, <c>vsvip</c> or <c>serviceenginegroup</c>.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Description">How violations name the use, e.g. <c>virtualservice web (vip 1)</c>.</param>
[GenerateSerializer, Immutable, Alias("avi.AddressUser")]
public sealed record AddressUser([property: Id(0)] string Kind, [property: Id(1)] string Name, [property: Id(2)] string Description)
{
    /// <summary>True when <paramref name="other"/> is the same object (the description may differ).</summary>
    public bool IsSameObject(AddressUser other) =>
        other is not null && string.Equals(Kind, other.Kind, StringComparison.Ordinal) && string.Equals(Name, other.Name, StringComparison.Ordinal);
}
