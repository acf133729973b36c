using System.ComponentModel;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>One method of a grain interface, as the generator describes it. For generated code.</summary>
/// <param name="MethodId">The method's index in the interface (the same in every process built from the same source).</param>
/// <param name="Name">The method name, for errors and logs.</param>
/// <param name="ReadArguments">Rebuilds a request from its serialized arguments.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record GrainMethodDescriptor(int MethodId, string Name, GrainArgumentReader ReadArguments);
