using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>
/// Every generated grain interface of the process, registered by a module initializer in the generated code,
/// looked up by interface type (proxies) and by grain type name (incoming calls).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GrainInterfaceRegistry
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceDescriptor> ByInterface = new();
    private static readonly ConcurrentDictionary<string, GrainInterfaceDescriptor> ByGrainType = new(StringComparer.Ordinal);

    /// <summary>Registers a descriptor. Two interfaces may not share a grain type name.</summary>
    public static void Register(GrainInterfaceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var existing = ByGrainType.GetOrAdd(descriptor.GrainType, descriptor);
        if (existing.InterfaceType != descriptor.InterfaceType)
        {
            throw new InvalidOperationException(
                $"Grain interfaces {existing.InterfaceType.FullName} and {descriptor.InterfaceType.FullName} both use grain type '{descriptor.GrainType}'; give one a [GrainType].");
        }

        ByInterface.TryAdd(descriptor.InterfaceType, descriptor);
    }

    /// <summary>Gets the descriptor of a grain interface.</summary>
    public static GrainInterfaceDescriptor Get(Type interfaceType)
    {
        ArgumentNullException.ThrowIfNull(interfaceType);
        if (ByInterface.TryGetValue(interfaceType, out var descriptor))
        {
            return descriptor;
        }

        // The generated module initializer runs when its assembly's module is first initialized; make sure it has.
        RuntimeHelpers.RunModuleConstructor(interfaceType.Module.ModuleHandle);
        return ByInterface.TryGetValue(interfaceType, out descriptor)
            ? descriptor
            : throw new InvalidOperationException(
                $"{interfaceType.FullName} has no generated grain proxy: it must derive from IGrainWithStringKey and its assembly must reference the AviOrleans.Runtime.CodeGen analyzer.");
    }

    /// <summary>Gets the descriptor of a grain type name, or null when none is registered.</summary>
    public static GrainInterfaceDescriptor? Find(string grainType) =>
        ByGrainType.TryGetValue(grainType, out var descriptor) ? descriptor : null;
}
