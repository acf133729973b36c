namespace AviOrleans.Runtime;

/// <summary>
/// On a type: its instances never change after construction, so calls between grains on one silo may pass them
/// by reference. Arguments and results of other (non-primitive) types are copied through the serializer on
/// local calls, as they would be across silos, so a caller never shares mutable state with a grain.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ImmutableAttribute : Attribute;
