using System.Text.Json.Serialization;
using AviOrleans.Silo.Placement;

namespace AviOrleans.Silo.Configuration;

/// <summary>Source-generated System.Text.Json metadata for the configuration file and the placement report (snake_case).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConfigurationFile))]
[JsonSerializable(typeof(PlacementReport))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
