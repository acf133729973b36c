using System.Text.Json.Serialization;

namespace AviOrleans.Runtime.Integration.Tests.Grains;

[JsonSerializable(typeof(StoredCounterState))]
internal sealed partial class IntegrationJsonContext : JsonSerializerContext;
