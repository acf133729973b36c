namespace AviOrleans.Runtime.Integration.Tests.Grains;

public sealed class StoredCounterState
{
    public int Value { get; set; }
}
