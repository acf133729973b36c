namespace AviOrleans.Persistence.Tests.Support;

/// <summary>A grain's state as the tests store it: a counter, a text and some bytes, so every field must survive.</summary>
[GenerateSerializer]
[Alias("AviOrleans.Persistence.Tests.TestState")]
public sealed record TestState
{
    [Id(0)]
    public int Counter { get; set; }

    [Id(1)]
    public string Text { get; set; } = string.Empty;

    [Id(2)]
    public byte[] Bytes { get; set; } = [];

    public static TestState Of(int counter) => new() { Counter = counter, Text = $"state #{counter} ✓", Bytes = [(byte)counter, 0, 255] };

    public bool SameAs(TestState? other) =>
        other is not null && other.Counter == Counter && other.Text == Text && other.Bytes.AsSpan().SequenceEqual(Bytes);
}
