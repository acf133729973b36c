namespace AviOrleans.Runtime;

/// <summary>
/// The grain lives on the active silo chosen by a hash of its id over the active silos (rendezvous hashing,
/// so a membership change moves only the grains of the silo that came or went). This is the default.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class HashBasedPlacementAttribute : Attribute;
