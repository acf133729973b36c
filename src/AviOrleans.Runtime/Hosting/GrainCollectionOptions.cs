namespace AviOrleans.Runtime.Hosting;

/// <summary>Activation lifetime limits.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation with no calls for this long is deactivated. Default: 15 min (as Orleans).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default: 1 min (as Orleans).</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long state loading plus <see cref="Grain.OnActivateAsync"/> may take. Default: 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="Grain.OnDeactivateAsync"/> may take. Default: 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
