using AviOrleans.Runtime.CodeGeneration;

namespace AviOrleans.Runtime.Internal;

/// <summary>A registered grain class: its interface, its factory and its scheduling.</summary>
internal sealed record GrainClassInfo(GrainInterfaceDescriptor Descriptor, Func<IGrainActivationContext, object> Factory, bool IsReentrant);
