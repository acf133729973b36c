namespace AviOrleans.Runtime.CodeGen;

/// <summary>A generated file: equal when its text is, which is what lets the pipeline skip unchanged interfaces.</summary>
internal sealed class GeneratedSource(string hintName, string source) : IEquatable<GeneratedSource>
{
    public string HintName { get; } = hintName;

    public string Source { get; } = source;

    public bool Equals(GeneratedSource? other) => other is not null && HintName == other.HintName && Source == other.Source;

    public override bool Equals(object? obj) => Equals(obj as GeneratedSource);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(HintName) ^ StringComparer.Ordinal.GetHashCode(Source);
}
