namespace AviOrleans.Silo.Tests.Grains;

/// <summary>The counter's persisted state.</summary>
[GenerateSerializer]
[Alias("AviOrleans.Silo.Tests.CounterState")]
public sealed record CounterState
{
    [Id(0)]
    public int Value { get; init; }
}
