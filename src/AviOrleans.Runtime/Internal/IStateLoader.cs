namespace AviOrleans.Runtime.Internal;

/// <summary>A persistent state the activation reads before it calls <see cref="Grain.OnActivateAsync"/>.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}
