using System.Globalization;
using System.Net;

namespace AviOrleans.Runtime.Membership;

/// <summary>
/// The identity of one silo incarnation: its endpoint plus a generation, so that a silo restarted on the
/// same address and port is a new identity (a dead identity never comes back).
/// </summary>
public readonly record struct SiloAddress
{
    /// <summary>Creates a silo address.</summary>
    public SiloAddress(IPEndPoint endpoint, int generation)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generation);
        Endpoint = endpoint;
        Generation = generation;
    }

    /// <summary>The address and port the silo listens on for silo-to-silo traffic.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Whole seconds since 2022-01-01 UTC when the silo started, strictly increasing per process.</summary>
    public int Generation { get; }

    /// <summary>The parsable text form, <c>ip:port@generation</c> (IPv6 addresses in brackets).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Endpoint}@{Generation}");

    /// <summary>Parses the form written by <see cref="ToString"/>.</summary>
    public static SiloAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        if (at <= 0 || !IPEndPoint.TryParse(text.AsSpan(0, at), out var endpoint)
            || !int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            || generation <= 0)
        {
            throw new FormatException($"'{text}' is not a silo address of the form ip:port@generation.");
        }

        return new SiloAddress(endpoint, generation);
    }
}
