namespace AviOrleans.Grains;

/// <summary>One run of an SE's silo and the software version it runs (<see cref="IServiceEngineGrain.GetIncarnationAsync"/>).</summary>
/// <param name="Silo">The silo's address with its generation: a restarted silo is a new incarnation.</param>
/// <param name="Version">The version the SE's host runs (<c>aviorleans-silo --se-version</c>, by default its build's).</param>
[GenerateSerializer, Immutable, Alias("avi.ServiceEngineIncarnation")]
public sealed record ServiceEngineIncarnation(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Version);
