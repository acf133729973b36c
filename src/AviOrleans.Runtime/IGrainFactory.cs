namespace AviOrleans.Runtime;

/// <summary>Gets references to grains. References are cheap, need no I/O, and are valid on any silo or client.</summary>
public interface IGrainFactory
{
    /// <summary>Gets a reference to the grain of interface <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
