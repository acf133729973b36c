using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Domain.Internal;

/// <summary>Collects violations with small helpers for the recurring checks.</summary>
internal sealed class ViolationList
{
    public List<FieldViolation> Items { get; } = [];

    public void Add(string path, ViolationCode code, string description) => Items.Add(new FieldViolation(path, description, code));

    public void Required(string path, string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, ViolationCode.Required, $"{field} is required");
        }
    }

    public void Range(string path, long value, long min, long max, string field)
    {
        if (value < min || value > max)
        {
            Add(path, ViolationCode.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"{field} must be between {min} and {max} (got {value})"));
        }
    }

    public void AtLeast(string path, long value, long min, string field)
    {
        if (value < min)
        {
            Add(path, ViolationCode.OutOfRange, string.Create(CultureInfo.InvariantCulture, $"{field} must be at least {min} (got {value})"));
        }
    }

    public void Enum<TEnum>(string path, TEnum value, string field)
        where TEnum : struct, System.Enum
    {
        if (!AviNames.IsDefined(value))
        {
            Add(path, ViolationCode.InvalidEnum, $"{field} must be one of {string.Join(", ", AviNames.NamesOf<TEnum>())}");
        }
    }

    /// <summary>Checks an address; returns its canonical form (for duplicate detection) or null when invalid.</summary>
    public string? Address(string path, string? value, string field, AddressFamily? family)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, ViolationCode.Required, $"{field} is required");
            return null;
        }

        var canonical = Canonical(value, family);
        if (canonical is null)
        {
            var expected = family switch
            {
                AddressFamily.InterNetwork => "an IPv4 address",
                AddressFamily.InterNetworkV6 => "an IPv6 address",
                _ => "an IPv4 or IPv6 address",
            };
            Add(path, ViolationCode.InvalidAddress, $"{field} '{value}' is not {expected}");
        }

        return canonical;
    }

    /// <summary>
    /// The canonical text of an address, or null. Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>,
    /// which takes "10" as 0.0.0.10: IPv4 must be dotted-quad, IPv6 must contain a colon; no scope, no port.
    /// </summary>
    public static string? Canonical(string value, AddressFamily? family)
    {
        if (!IPAddress.TryParse(value, out var address) || value.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        var ok = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => value.Count(c => c == '.') == 3 && value.All(c => c == '.' || char.IsAsciiDigit(c)),
            AddressFamily.InterNetworkV6 => value.Contains(':', StringComparison.Ordinal) && !value.Contains('[', StringComparison.Ordinal),
            _ => false,
        };
        if (!ok || (family is { } f && address.AddressFamily != f))
        {
            return null;
        }

        return address.ToString();
    }
}
