namespace AviOrleans.Runtime;

/// <summary>Marker for grain interfaces. Use <see cref="IGrainWithStringKey"/>.</summary>
#pragma warning disable CA1040 // A marker interface is the Orleans idiom the source generator looks for.
public interface IGrain;
#pragma warning restore CA1040
