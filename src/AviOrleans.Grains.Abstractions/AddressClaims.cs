using System.Net;

namespace AviOrleans.Grains;

/// <summary>Address claims' keys: one canonical text per address, so that <c>2001:db8::1</c> and <c>2001:DB8:0::1</c> are one claim.</summary>
public static class AddressClaims
{
    /// <summary>The canonical form of an address, or the text itself when it is not an address (validation refuses it later).</summary>
    public static string Canonical(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPAddress.TryParse(address, out var parsed) ? parsed.ToString() : address;
    }
}
