using System.Text.Json.Serialization;

namespace AviOrleans.Runtime.Tests.Grains;

[JsonSerializable(typeof(CounterState))]
[JsonSerializable(typeof(TurnRecord))]
[JsonSerializable(typeof(TimerStats))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
