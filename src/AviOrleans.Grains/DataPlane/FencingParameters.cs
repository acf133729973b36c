namespace AviOrleans.Grains.DataPlane;

/// <summary>The fencing values every silo of a cluster must share, in milliseconds.</summary>
/// <param name="WindowMilliseconds">The fencing window W.</param>
/// <param name="MarginMilliseconds">The fencing margin.</param>
/// <param name="PeerEvidenceLimitMilliseconds">The peer-evidence limit.</param>
[GenerateSerializer, Immutable, Alias("avi.dp.FencingParameters")]
public sealed record FencingParameters(
    [property: Id(0)] int WindowMilliseconds,
    [property: Id(1)] int MarginMilliseconds,
    [property: Id(2)] int PeerEvidenceLimitMilliseconds);
