namespace AviOrleans.Grains.DataPlane;

/// <summary>How long ago a silo last confirmed another.</summary>
/// <param name="Silo">The confirmed silo.</param>
/// <param name="Since">Time since the last confirmation, by the answering silo's clock; null when it never confirmed it.</param>
[GenerateSerializer, Immutable, Alias("avi.dp.ConfirmationAge")]
public sealed record ConfirmationAge(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] TimeSpan? Since);
