using AviOrleans.Domain;

namespace AviOrleans.Bench.Domain;

/// <summary>One measured computation: the input is built (and its previous placement computed) before timing starts.</summary>
internal sealed record BenchCase(string Name, PlacementInput Input, string Note);
