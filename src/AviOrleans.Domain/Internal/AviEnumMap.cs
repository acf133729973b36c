namespace AviOrleans.Domain.Internal;

/// <summary>A two-way table between an enum and Avi's wire names of its members.</summary>
internal sealed class AviEnumMap<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names = [];
    private readonly Dictionary<string, TEnum> _values = new(StringComparer.Ordinal);

    public AviEnumMap(params (TEnum Value, string Name)[] pairs)
    {
        foreach (var (value, name) in pairs)
        {
            _names.Add(value, name);
            _values.Add(name, value);
        }

        Names = [.. pairs.Select(p => p.Name)];
    }

    /// <summary>Every wire name, in declaration order.</summary>
    public IReadOnlyList<string> Names { get; }

    public string ToName(TEnum value) =>
        _names.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no member {value}.");

    public bool TryParse(string? name, out TEnum value)
    {
        if (name is not null && _values.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public bool IsDefined(TEnum value) => _names.ContainsKey(value);
}
