using System.ComponentModel;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>A grain interface as the generator describes it. For generated code.</summary>
/// <param name="InterfaceType">The interface.</param>
/// <param name="GrainType">The grain type name (see <see cref="GrainTypeAttribute"/>).</param>
/// <param name="Placement">How grains of the type are placed.</param>
/// <param name="CreateProxy">Creates a proxy for a grain id.</param>
/// <param name="Methods">The methods, indexed by <see cref="GrainMethodDescriptor.MethodId"/>.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record GrainInterfaceDescriptor(
    Type InterfaceType,
    string GrainType,
    GrainPlacementKind Placement,
    Func<GrainId, IGrainCallInvoker, object> CreateProxy,
    IReadOnlyList<GrainMethodDescriptor> Methods);
