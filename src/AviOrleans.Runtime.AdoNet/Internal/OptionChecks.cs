namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>Checks shared by the store options.</summary>
internal static class OptionChecks
{
    /// <summary>The longest cluster or service id (the column width Orleans' schema uses).</summary>
    public const int MaxIdLength = 150;

    public static void CheckId(List<string> errors, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} is required.");
        }
        else if (value.Length > MaxIdLength)
        {
            errors.Add($"{name} must be at most {MaxIdLength} characters, got {value.Length}.");
        }
    }

    public static void CheckTimeout(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
        {
            errors.Add($"{name} must be more than zero and at most one hour, got {value}.");
        }
    }

    public static bool IsPlainIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || char.IsAsciiDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static void ThrowIfAny(List<string> errors, string optionsName)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {optionsName}: {string.Join(" ", errors)}");
        }
    }
}
