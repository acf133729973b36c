using System.Reflection;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Internal;

namespace AviOrleans.Runtime.Hosting;

/// <summary>The grain classes a silo can activate, each for one grain interface, with the factory that creates it.</summary>
public sealed class GrainRegistrations
{
    private readonly Dictionary<string, GrainClassInfo> _byGrainType = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="TGrain"/> as the implementation of <typeparamref name="TInterface"/>.</summary>
    /// <param name="factory">Creates the grain; it may create persistent state through the context it receives.</param>
    public GrainRegistrations Add<TInterface, TGrain>(Func<IGrainActivationContext, TGrain> factory)
        where TInterface : IGrainWithStringKey
        where TGrain : TInterface
    {
        ArgumentNullException.ThrowIfNull(factory);
        var descriptor = GrainInterfaceRegistry.Get(typeof(TInterface));
        if (_byGrainType.ContainsKey(descriptor.GrainType))
        {
            throw new InvalidOperationException($"Grain type '{descriptor.GrainType}' ({typeof(TInterface).Name}) is already registered.");
        }

        // Read once at registration, never on a call.
        var reentrant = typeof(TGrain).GetCustomAttribute<ReentrantAttribute>() is not null;
        _byGrainType[descriptor.GrainType] = new GrainClassInfo(descriptor, ctx => factory(ctx)!, reentrant);
        return this;
    }

    /// <summary>Registers <typeparamref name="TGrain"/>, created with its parameterless constructor.</summary>
    public GrainRegistrations Add<TInterface, TGrain>()
        where TInterface : IGrainWithStringKey
        where TGrain : TInterface, new() =>
        Add<TInterface, TGrain>(static _ => new TGrain());

    internal GrainClassInfo? Find(string grainType) => _byGrainType.GetValueOrDefault(grainType);
}
