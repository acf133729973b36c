namespace AviOrleans.Runtime;

/// <summary>
/// Names the grain type of a grain interface. The name is a durable identifier (state is stored under it).
/// Default: the interface name without the leading 'I' and a trailing 'Grain', lower-cased
/// (<c>ICounterGrain</c> gives <c>counter</c>).
/// </summary>
/// <param name="name">The grain type name; no '/'.</param>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
